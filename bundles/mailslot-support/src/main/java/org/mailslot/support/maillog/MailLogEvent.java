package org.mailslot.support.maillog;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.MailAddress;

/**
 * One line of the mail log: something that happened to the message with queue id {@link #queueId()},
 * as Postfix logs it. Each kind is logged under the logger of the Postfix service that writes that
 * line ({@link #service()}); {@link MailLog#line} writes its text.
 */
public sealed interface MailLogEvent {

    /** @return the spool id of the message, the same on every line about it */
    String queueId();

    /** @return the Postfix service whose line this is */
    Service service();

    /** The Postfix services whose lines the mail log writes; each has a logger of its own. */
    enum Service {
        SMTPD, CLEANUP, QMGR, DELIVERY, BOUNCE;

        /** @return {@code org.mailslot.mail.} and the service's name, which the log shows as {@code mailslot/NAME[PID]} */
        public String logger() {
            return MailLog.LOGGER + "." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The SMTP listener took a message: {@code client=unknown[ADDR], sasl_method=PLAIN, sasl_username=USER}
     * (smtpd).
     *
     * @param sasl the login of the session, when the client authenticated
     */
    record Received(String queueId, InetAddress client, Optional<SaslLogin> sasl) implements MailLogEvent {

        public Received {
            Objects.requireNonNull(queueId, "queueId");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(sasl, "sasl");
        }

        @Override
        public Service service() {
            return Service.SMTPD;
        }
    }

    /** Who authenticated a session, and with which SASL mechanism ({@code PLAIN}, {@code LOGIN}). */
    record SaslLogin(String method, String username) {

        public SaslLogin {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(username, "username");
        }
    }

    /** The message's {@code Message-ID} field, empty when it has none: {@code message-id=<ID>} (cleanup). */
    record Identified(String queueId, String messageId) implements MailLogEvent {

        public Identified {
            Objects.requireNonNull(queueId, "queueId");
            Objects.requireNonNull(messageId, "messageId");
        }

        @Override
        public Service service() {
            return Service.CLEANUP;
        }
    }

    /** An attempt takes the message up: {@code from=<S>, size=N, nrcpt=N (queue active)} (qmgr). */
    record Queued(String queueId, Optional<MailAddress> from, long size, int recipients) implements MailLogEvent {

        public Queued {
            Objects.requireNonNull(queueId, "queueId");
            Objects.requireNonNull(from, "from");
        }

        @Override
        public Service service() {
            return Service.QMGR;
        }
    }

    /**
     * What became of one recipient in an attempt: {@code to=<R>, relay=R, delay=D, delays=a/b/c/d,
     * dsn=X.Y.Z, status=S (reply)}.
     *
     * @param relay where it went: {@link #relay(String, int)}, {@code local}, or {@code none}
     * @param delay from reception to now
     * @param dsn the enhanced status code (RFC 3463)
     * @param reply the reply or reason, one line
     */
    record Delivery(String queueId, MailAddress to, String relay, Duration delay, Delays delays, String dsn,
            Status status, String reply) implements MailLogEvent {

        /** No next hop was reached. */
        public static final String NO_RELAY = "none";
        /** The local Maildirs. */
        public static final String LOCAL_RELAY = "local";

        public Delivery {
            Objects.requireNonNull(queueId, "queueId");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(delays, "delays");
            Objects.requireNonNull(dsn, "dsn");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reply, "reply");
        }

        /**
         * @return Postfix's {@code host[address]:port} when the host is an address, {@code host:port} for a
         *     name (the transport does not say which address it reached), {@link #NO_RELAY} without a host
         */
        public static String relay(String host, int port) {
            if (host.isEmpty()) {
                return NO_RELAY;
            }
            boolean address = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
            return (address ? host + "[" + host + "]" : host) + (port == 0 ? "" : ":" + port);
        }

        /** @return the enhanced status code, or the class's {@code X.0.0} when the reply had none */
        public static String dsn(String enhancedCode, Status status) {
            if (!enhancedCode.isEmpty()) {
                return enhancedCode;
            }
            return switch (status) {
                case SENT -> "2.0.0";
                case DEFERRED, EXPIRED -> "4.0.0";
                case BOUNCED -> "5.0.0";
            };
        }

        @Override
        public Service service() {
            return Service.DELIVERY;
        }
    }

    /** A notice to the sender was queued as message {@code noticeId}: {@code sender non-delivery notification: ID} (bounce). */
    record Notified(String queueId, Notification kind, String noticeId) implements MailLogEvent {

        public Notified {
            Objects.requireNonNull(queueId, "queueId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(noticeId, "noticeId");
        }

        @Override
        public Service service() {
            return Service.BOUNCE;
        }
    }

    /** The message left the spool: {@code removed} (qmgr). */
    record Removed(String queueId) implements MailLogEvent {

        public Removed {
            Objects.requireNonNull(queueId, "queueId");
        }

        @Override
        public Service service() {
            return Service.QMGR;
        }
    }

    /** A recipient's status after an attempt, as Postfix words it. */
    enum Status {
        /** Accepted by the next hop or delivered into a Maildir. */
        SENT,
        /** Will be tried again. */
        DEFERRED,
        /** Failed for good; the sender gets a notice. */
        BOUNCED,
        /** Still undelivered when the give-up age was reached; the sender gets a notice. */
        EXPIRED;

        /** @return the word after {@code status=} */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The kinds of notice to the sender, as Postfix's bounce service names them. */
    enum Notification {
        NON_DELIVERY("sender non-delivery notification"),
        DELAY("sender delay notification"),
        SUCCESS("sender delivery status notification");

        private final String words;

        Notification(String words) {
            this.words = words;
        }

        /** @return Postfix's words before the notice's queue id */
        public String words() {
            return words;
        }
    }

    /**
     * Where the time until a recipient's outcome went, Postfix's {@code delays=a/b/c/d}.
     *
     * @param beforeAttempt from reception until the attempt took the message up (reception, waiting in
     *     the queue, earlier attempts)
     * @param inAttempt from then until this recipient's delivery started (the pipeline, other destinations)
     * @param connecting connections to other hosts and ports before the one that decided
     * @param transmitting the deciding connection or the Maildir write
     */
    record Delays(Duration beforeAttempt, Duration inAttempt, Duration connecting, Duration transmitting) {

        /** Nothing was spent. */
        public static final Delays NONE = new Delays(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

        public Delays {
            Objects.requireNonNull(beforeAttempt, "beforeAttempt");
            Objects.requireNonNull(inAttempt, "inAttempt");
            Objects.requireNonNull(connecting, "connecting");
            Objects.requireNonNull(transmitting, "transmitting");
        }
    }
}
