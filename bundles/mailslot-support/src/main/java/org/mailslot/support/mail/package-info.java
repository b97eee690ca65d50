/** Octet-level mail rules several bundles apply identically. Copied privately into each user by bnd. */
package org.mailslot.support.mail;
