package org.mailslot.spool.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.transport.Attempt;
import org.mailslot.support.maillog.MailLog;
import org.mailslot.support.maillog.MailLogEvent;
import org.mailslot.support.maillog.MailLogEvent.Delays;
import org.mailslot.support.maillog.MailLogEvent.Delivery;
import org.mailslot.support.maillog.MailLogEvent.Queued;
import org.mailslot.support.maillog.MailLogEvent.Status;

/**
 * The delivery side of the mail log ({@link MailLog}): the line of an attempt that takes a message up,
 * and one line per recipient and attempt with where it went, how long it took and what became of it.
 */
final class DeliveryLog {

    private final Clock clock;

    DeliveryLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * Where one recipient's time in an attempt went.
     *
     * @param relay the next hop ({@link Delivery#relay}), {@code local} or {@code none}
     * @param taken when the attempt took the message up
     * @param begun when this recipient's delivery started
     * @param connected when the connection that decided started (after other hosts and ports)
     */
    record Leg(String relay, Instant taken, Instant begun, Instant connected) {

        /** A recipient for whom nothing was reached in an attempt that took the message up at {@code taken}. */
        static Leg unreached(Instant taken) {
            return new Leg(Delivery.NO_RELAY, taken, taken, taken);
        }

        /** A delivery from {@code begun} whose last connection attempt (if any) started at the last of {@code attempts}. */
        static Leg over(String relay, Instant taken, Instant begun, List<Attempt> attempts) {
            Instant connected = attempts.isEmpty() ? begun : attempts.get(attempts.size() - 1).at();
            return new Leg(relay, taken, begun, connected.isBefore(begun) ? begun : connected);
        }
    }

    /** An attempt takes the message up: Postfix's "queue active" line. */
    void taken(Progress entry) {
        MailLog.log(new Queued(entry.id, entry.envelope.reversePath(), entry.lease.size(), entry.envelope.recipients().size()));
    }

    /** What became of one recipient, now. */
    void outcome(Progress entry, MailAddress to, Leg leg, Status status, String enhancedCode, String reply) {
        if (MailLog.logs(MailLogEvent.Service.DELIVERY)) {
            MailLog.log(delivery(entry, to, leg, status, enhancedCode, reply));
        }
    }

    /** @return the line of what became of one recipient, now; {@code enhancedCode} null or empty when there was none */
    Delivery delivery(Progress entry, MailAddress to, Leg leg, Status status, String enhancedCode, String reply) {
        Instant now = clock.instant();
        Delays delays = new Delays(between(entry.received, leg.taken()), between(leg.taken(), leg.begun()),
                between(leg.begun(), leg.connected()), between(leg.connected(), now));
        return new Delivery(entry.id, to, leg.relay(), between(entry.received, now), delays,
                Delivery.dsn(enhancedCode == null ? "" : enhancedCode, status), status, reply);
    }

    /** Every recipient given, not reached in this attempt. */
    void unreached(Progress entry, List<MailAddress> recipients, Instant taken, Status status, String enhancedCode) {
        for (MailAddress to : recipients) {
            outcome(entry, to, Leg.unreached(taken), status, enhancedCode, entry.replyOf(to).orElse(""));
        }
    }

    private static Duration between(Instant from, Instant to) {
        return from.isBefore(to) ? Duration.between(from, to) : Duration.ZERO;
    }
}
