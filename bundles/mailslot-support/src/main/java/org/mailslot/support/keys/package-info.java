/**
 * The rules both crypto bundles' key stores share: the store passphrase, and telling the spool when
 * keys came. Copied privately into each user by bnd.
 */
package org.mailslot.support.keys;
