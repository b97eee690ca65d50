package org.mailslot.smtp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.support.mail.HeaderOctets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender checks of a listener that must check ({@code sender.checks}; relay listeners by default)
 * at the end of DATA, by mailslot-auth's {@link SenderAuthenticator}: a message that fails DMARC under
 * its domain's reject policy is refused with 550 5.7.1; one whose checks got no DNS answer, with 451
 * 4.7.1 (never a silent pass); one that arrives while no checker is registered, with 451 4.7.1 too
 * (fail closed: unchecked mail is never taken); any other gets the {@code Authentication-Results}
 * field (and the quarantine mark) on top, in place of received fields that claim Mailslot's
 * authserv-id. Mail from a client that logged in is not checked. Until it is checked such a message is
 * held in memory up to a small size, and past that in a {@link SpillFile} (see {@link IncomingMessage}).
 */
final class SenderCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SenderCheck.class);

    static final String UNAVAILABLE = "451 4.7.1 Sender authentication is unavailable; try again later";

    static final String FAILED = "451 4.7.1 Sender authentication failed; try again later";

    /** Header sections longer than this are refused: they are read into memory to remove forged results. */
    static final int MAX_HEADER = 1024 * 1024;

    private final Listener listener;
    private final InetAddress client;
    private final String helo;
    private final String mailFrom;

    SenderCheck(Listener listener, InetAddress client, String helo, String mailFrom) {
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
     * Checks the message as received, and on acceptance puts the results on top of it; on a worker,
     * after every write of the message, and it waits on DNS.
     *
     * @return the refusal, or null when the message goes on (its commit answers a write that failed)
     */
    String apply(IncomingMessage message) {
        // The checker in force at the end: one that went away during DATA refuses, one that came back checks.
        SenderAuthenticator checks = listener.senderAuthenticator();
        if (checks == null) {
            return UNAVAILABLE;
        }
        if (message.writeFailure() != null) {
            return null;
        }
        MessageSource content;
        SenderAuthentication result;
        try {
            content = message.content();
            result = checks.authenticate(Optional.of(client), helo, mailFrom, content);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Sender checks of a message from {} failed", client.getHostAddress(), e);
            return FAILED;
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
                return stamped(message, content, result, checks);
            }
        }
    }

    /**
     * Puts the results on top and takes out received fields that claim them. A message held whole
     * stays held, for its commit; one that spilled is written into the spool from its spill file,
     * the header section read into memory, the rest streamed.
     */
    private String stamped(IncomingMessage message, MessageSource content, SenderAuthentication result,
            SenderAuthenticator checks) {
        byte[] fields = result.headerFields().getBytes(StandardCharsets.UTF_8);
        if (!message.handedOver()) {
            byte[] body = checks.withoutClaimedResults(Arrays.copyOf(message.held(), message.heldLength()));
            byte[] marked = Arrays.copyOf(fields, fields.length + body.length);
            System.arraycopy(body, 0, marked, fields.length, body.length);
            message.replaceHeld(marked);
            return null;
        }
        MessageWriter writer = message.writer();
        try (InputStream in = content.open()) {
            byte[] header = HeaderOctets.read(in, MAX_HEADER + 1);
            if (header.length > MAX_HEADER) {
                return "552 5.3.4 Message refused: its header section is longer than " + MAX_HEADER + " octets";
            }
            writer.write(fields, 0, fields.length);
            byte[] kept = checks.withoutClaimedResults(header);
            writer.write(kept, 0, kept.length);
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                writer.write(buffer, 0, n);
            }
        } catch (SubmissionException e) {
            message.writeFailed(e);
        } catch (IOException | RuntimeException e) {
            message.writeFailed(new SubmissionException(SubmissionException.Reason.UNAVAILABLE,
                    "Cannot read a message back for the spool after its sender checks", e));
        }
        // Written whole, the part that was held included.
        message.replaceHeld(new byte[0]);
        return null;
    }
}
