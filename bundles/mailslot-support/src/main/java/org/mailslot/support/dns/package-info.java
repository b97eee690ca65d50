/**
 * DNS lookups as sender checks and DKIM key lookups make them: one query through the resolver of
 * {@code org.mailslot.mx}, answers kept for their TTL, no answer a temporary failure (never a pass).
 * Copied privately into each user by bnd.
 */
package org.mailslot.support.dns;
