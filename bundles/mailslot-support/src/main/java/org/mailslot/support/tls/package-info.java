/** How Angus gets TLS from the TLS service, for delivery and retrieval alike. Copied privately into each user by bnd. */
package org.mailslot.support.tls;
