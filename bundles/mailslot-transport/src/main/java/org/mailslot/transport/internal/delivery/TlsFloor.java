package org.mailslot.transport.internal.delivery;

import java.util.Locale;

import jakarta.mail.MessagingException;

/**
 * The rules both Angus subclasses apply to what Angus sees of the server, so that Angus's own
 * logic cannot cross the TLS floor.
 *
 * <ul>
 * <li>Angus authenticates whenever it has credentials and the server lists AUTH, TLS or not. On
 * a connection without TLS the subclasses hide AUTH, so Angus never sends credentials in clear.
 * <li>Where the port requires STARTTLS, the subclasses check the EHLO reply themselves and end
 * the session before any other command when STARTTLS is not listed, with a {@link
 * TlsNotOfferedException} that the delivery recognises (Angus's own
 * {@code mail.smtp.starttls.required} stays on as a second guard).
 * </ul>
 */
final class TlsFloor {

    private TlsFloor() {
    }

    static boolean hidden(String extension, boolean tls) {
        return !tls && extension.toUpperCase(Locale.ROOT).startsWith("AUTH");
    }

    static void afterEhlo(boolean ehloAccepted, boolean tls, boolean startTlsRequired, boolean startTlsListed)
            throws MessagingException {
        if (startTlsRequired && !tls && (!ehloAccepted || !startTlsListed)) {
            throw new TlsNotOfferedException("the server does not offer STARTTLS, which the port's strategy requires;"
                    + " the session was ended after EHLO, before any AUTH or MAIL");
        }
    }

    /** The server did not offer the TLS the port's strategy requires. */
    static final class TlsNotOfferedException extends MessagingException {

        private static final long serialVersionUID = 1L;

        TlsNotOfferedException(String message) {
            super(message);
        }
    }
}
