package org.mailslot.api.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;

import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks who sent a received message: SPF (MAIL FROM and HELO), DKIM and DMARC, and writes the
 * {@code Authentication-Results} field under Mailslot's authserv-id. The verdict follows
 * {@code org.mailslot.auth}'s {@code enforce}; acting on it (a reply, a folder) is the caller's.
 *
 * <p><b>Threading.</b> Thread-safe; a call blocks on DNS (answers are cached for their TTL).
 *
 * <p><b>Failure.</b> DNS and record problems are results (temperror, permerror), never exceptions
 * and never a pass.
 */
@ProviderType
public interface SenderAuthenticator {

    /**
     * @param client the SMTP client's address, or empty for mail not received by SMTP (then SPF is {@code none})
     * @param helo the HELO or EHLO argument, empty if unknown
     * @param mailFrom the reverse path without angle brackets, empty for the null reverse path
     * @param message the message as received (CRLF line ends)
     * @return the results
     * @throws IOException if the message cannot be read
     */
    SenderAuthentication authenticate(Optional<InetAddress> client, String helo, String mailFrom,
            MessageSource message) throws IOException;

    /** @return the authserv-id results are reported under: {@code authserv.id} of {@code org.mailslot.auth}, else the host name */
    String authservId();

    /**
     * Removes the {@code Authentication-Results} fields of the message's header that claim
     * {@link #authservId()}: only Mailslot writes those, so a received one is forged (RFC 8601 section 5).
     *
     * @param message the octets of a whole message
     * @return the message without them; {@code message} itself when it has none
     */
    byte[] withoutClaimedResults(byte[] message);
}
