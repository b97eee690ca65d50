/**
 * What a component asks Config Admin itself, beyond the configuration DS gives it. Copied privately
 * into each user by bnd; only those import {@code org.osgi.service.cm}.
 */
package org.mailslot.support.cm;
