/** The key-store passphrase rule both crypto bundles share. Copied privately into each user by bnd. */
package org.mailslot.support.keys;
