package org.mailslot.api.transport;

import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.MailAddress;

/**
 * What became of one recipient, with the reply that decided it.
 *
 * @param recipient the recipient
 * @param status accepted, temporary or permanent failure
 * @param replyCode the SMTP reply code, or 0 when no server replied (no port usable)
 * @param enhancedCode the enhanced status code (RFC 3463) such as {@code 2.0.0}, or empty
 * @param text the reply text, or the reason no server replied
 * @param host the host that replied, or empty
 * @param port the port that was used, or 0
 * @param tls the TLS that protected the transaction, or empty if there was none
 * @param withoutDsn true when the server that accepted the recipient did not offer DSN (RFC 3461), so its
 *     NOTIFY could not be passed on and the notice of success it asked for is this MTA's to send
 *     ("relayed", RFC 3461 section 5.2.2); false when the server took the DSN parameters, or did not accept
 * @param failure why the recipient was not delivered; empty when it was accepted, present otherwise
 * @param tlsPolicy the TLS policy applied to the recipient's destination and what became of it; empty
 *     where the transport applies none of its own (a relay route, whose TLS its port strategies decide)
 */
public record RecipientOutcome(MailAddress recipient, DeliveryStatus status, int replyCode, String enhancedCode,
        String text, String host, int port, Optional<TlsSession> tls, boolean withoutDsn,
        Optional<FailureCause> failure, Optional<AppliedTlsPolicy> tlsPolicy) {

    /** An outcome without a TLS policy of its own (the form of API 2.0). */
    public RecipientOutcome(MailAddress recipient, DeliveryStatus status, int replyCode, String enhancedCode,
            String text, String host, int port, Optional<TlsSession> tls, boolean withoutDsn,
            Optional<FailureCause> failure) {
        this(recipient, status, replyCode, enhancedCode, text, host, port, tls, withoutDsn, failure, Optional.empty());
    }

    /** A failure, for the cause given. */
    public RecipientOutcome(MailAddress recipient, DeliveryStatus status, int replyCode, String enhancedCode,
            String text, String host, int port, Optional<TlsSession> tls, FailureCause failure) {
        this(recipient, status, replyCode, enhancedCode, text, host, port, tls, false, Optional.of(failure));
    }

    /** An outcome whose failure cause, if any, is the one its reply code says ({@link FailureCause#ofReply}). */
    public RecipientOutcome(MailAddress recipient, DeliveryStatus status, int replyCode, String enhancedCode,
            String text, String host, int port, Optional<TlsSession> tls, boolean withoutDsn) {
        this(recipient, status, replyCode, enhancedCode, text, host, port, tls, withoutDsn,
                status == DeliveryStatus.ACCEPTED ? Optional.empty()
                        : Optional.of(FailureCause.ofReply(replyCode, status)));
    }

    /** An outcome from a server that offered DSN, or a failure whose cause its reply code says. */
    public RecipientOutcome(MailAddress recipient, DeliveryStatus status, int replyCode, String enhancedCode,
            String text, String host, int port, Optional<TlsSession> tls) {
        this(recipient, status, replyCode, enhancedCode, text, host, port, tls, false);
    }

    public RecipientOutcome {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(enhancedCode, "enhancedCode");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(tlsPolicy, "tlsPolicy");
        if (failure.isPresent() == (status == DeliveryStatus.ACCEPTED)) {
            throw new IllegalArgumentException("failure must be empty exactly when the status is ACCEPTED, not "
                    + failure + " for " + status);
        }
    }

    /** @return this outcome, with the TLS policy that applied to it */
    public RecipientOutcome withTlsPolicy(AppliedTlsPolicy policy) {
        return new RecipientOutcome(recipient, status, replyCode, enhancedCode, text, host, port, tls, withoutDsn,
                failure, Optional.of(policy));
    }
}
