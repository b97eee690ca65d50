/** The port strategies Mailslot ships. Copied privately into each user by bnd. */
package org.mailslot.support.port;
