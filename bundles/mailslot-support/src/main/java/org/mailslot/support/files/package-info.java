/** How Mailslot creates the files it keeps mail and secrets in. Copied privately into each user by bnd. */
package org.mailslot.support.files;
