package org.mailslot.api.auth;

import java.net.InetAddress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks the SPF records (RFC 7208) of a sender's domains against the client that connected,
 * through the resolver MX delivery uses, keeping answers for their TTL.
 *
 * <p><b>Threading.</b> Thread-safe; a call blocks while records are looked up (at most 10 lookups
 * that count against RFC 7208's limit, each within the DNS timeout).
 *
 * <p><b>Failure.</b> DNS and record problems are results, never exceptions: a lookup that timed
 * out is {@link SpfResult#TEMPERROR}, a bad record or too many lookups {@link SpfResult#PERMERROR}.
 */
@ProviderType
public interface SpfVerifier {

    /**
     * Checks the reverse path, or for a null one {@code postmaster@} the HELO name.
     *
     * @param client the client's address
     * @param helo the HELO or EHLO argument as given
     * @param mailFrom the reverse path without angle brackets, empty for the null reverse path
     * @return the result for {@link SpfIdentity#MAILFROM}
     * @throws NullPointerException if an argument is null
     */
    SpfCheck checkMailFrom(InetAddress client, String helo, String mailFrom);

    /**
     * Checks the HELO name.
     *
     * @param client the client's address
     * @param helo the HELO or EHLO argument as given
     * @return the result for {@link SpfIdentity#HELO}; {@link SpfResult#NONE} if it is not a domain name
     * @throws NullPointerException if an argument is null
     */
    SpfCheck checkHelo(InetAddress client, String helo);
}
