/**
 * DNS lookups as sender checks, DKIM key lookups, MTA-STS, TLS reporting and DANE make them: one query
 * through the resolver of {@code org.mailslot.mx} ({@link org.mailslot.support.dns.DnsResolvers}), answers
 * kept for their TTL ({@link org.mailslot.support.dns.ExpiringAnswers}), no answer a temporary failure
 * (never a pass); DANE's with their DNSSEC status ({@link org.mailslot.support.dns.DnssecLookups}).
 * Copied privately into each user by bnd.
 */
package org.mailslot.support.dns;
