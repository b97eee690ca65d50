package org.mailslot.smtp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender checks of a listener that must check ({@code sender.checks}; relay listeners by default)
 * at the end of DATA, by mailslot-auth's {@link SenderAuthenticator}: a message that fails DMARC under
 * its domain's reject policy is refused with 550 5.7.1; one whose checks got no DNS answer, with 451
 * 4.7.1 (never a silent pass); one that arrives while no checker is registered, with 451 4.7.1 too
 * (fail closed: unchecked mail is never taken); any other gets the {@code Authentication-Results}
 * field (and the quarantine mark) on top, in place of received fields that claim Mailslot's
 * authserv-id. Mail from a client that logged in is not checked. Such a message is held whole until
 * it is checked (see {@link IncomingMessage}).
 */
final class SenderCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SenderCheck.class);

    static final String UNAVAILABLE = "451 4.7.1 Sender authentication is unavailable; try again later";

    private final Listener listener;
    private final InetAddress client;
    private final String helo;
    private final String mailFrom;

    private SenderCheck(Listener listener, InetAddress client, String helo, String mailFrom) {
        this.listener = listener;
        this.client = client;
        this.helo = helo;
        this.mailFrom = mailFrom;
    }

    /** @return the check of the session's transaction, or null if its message is not to be checked */
    static SenderCheck of(SmtpSession session) {
        Transaction transaction = session.state().transaction();
        if (transaction == null || !required(session)) {
            return null;
        }
        String helo = session.state().heloName() == null ? "" : session.state().heloName();
        String mailFrom = transaction.envelope().reversePath().map(MailAddress::toString).orElse("");
        return new SenderCheck(session.listener(), session.client().getAddress(), helo, mailFrom);
    }

    /** @return whether the session's mail must be checked and cannot be now: it is refused at MAIL already */
    static boolean unavailable(SmtpSession session) {
        return required(session) && session.listener().senderAuthenticator() == null;
    }

    private static boolean required(SmtpSession session) {
        return session.state().user() == null && session.settings().senderChecks().required(session.strategy().role());
    }

    /**
     * Checks the message as held; on a worker, it waits on DNS.
     *
     * @return the refusal, or null when the message goes on, with the results on top
     */
    String apply(IncomingMessage message) {
        // The checker in force at the end: one that went away during DATA refuses, one that came back checks.
        SenderAuthenticator checks = listener.senderAuthenticator();
        if (checks == null) {
            return UNAVAILABLE;
        }
        byte[] content = Arrays.copyOf(message.held(), message.heldLength());
        SenderAuthentication result;
        try {
            result = checks.authenticate(Optional.of(client), helo, mailFrom, MessageSource.of(content));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Sender checks of a message from {} failed", client.getHostAddress(), e);
            return "451 4.7.1 Sender authentication failed; try again later";
        }
        switch (result.verdict()) {
            case REJECT -> {
                return "550 5.7.1 Message refused: it fails DMARC and " + Texts.printable(result.dmarc().fromDomain())
                        + " asks receivers to reject it";
            }
            case DEFER -> {
                return "451 4.7.1 Sender authentication could not be completed (DNS); try again later";
            }
            default -> {
                byte[] fields = result.headerFields().getBytes(StandardCharsets.UTF_8);
                byte[] body = checks.withoutClaimedResults(content);
                byte[] marked = Arrays.copyOf(fields, fields.length + body.length);
                System.arraycopy(body, 0, marked, fields.length, body.length);
                message.replaceHeld(marked);
                return null;
            }
        }
    }
}
