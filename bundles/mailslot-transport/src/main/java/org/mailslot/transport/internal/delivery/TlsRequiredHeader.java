package org.mailslot.transport.internal.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.MimeEntity;

/**
 * RFC 8689 section 5: a {@code TLS-Required: No} header field asks the sender to deliver the
 * message even where the recipient domain's TLS policy (DANE, MTA-STS, a configured level) cannot be
 * met, with opportunistic TLS; typically a report about that very TLS trouble. It never lifts
 * REQUIRETLS, which the caller checks first.
 */
final class TlsRequiredHeader {

    /** How far the header section is read; a message whose header is longer keeps its policy. */
    private static final int MAX_HEADER = 256 * 1024;

    private TlsRequiredHeader() {
    }

    /**
     * @param message the message
     * @return whether its header section has {@code TLS-Required: No}; false if it cannot be read
     *     (the policy then applies: fail closed)
     */
    static boolean saysNo(MessageSource message) {
        try (InputStream in = message.open()) {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            int last4 = 0;
            for (int c = in.read(); c >= 0 && header.size() < MAX_HEADER; c = in.read()) {
                header.write(c);
                last4 = (last4 << 8) | c;
                if (last4 == 0x0d0a0d0a) {
                    break;
                }
            }
            String value = MimeEntity.parse(header.toByteArray()).header("TLS-Required");
            return value != null && value.strip().toLowerCase(Locale.ROOT).equals("no");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
