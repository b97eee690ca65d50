/** The local host as Mailslot names it. Copied privately into each user by bnd. */
package org.mailslot.support.net;
