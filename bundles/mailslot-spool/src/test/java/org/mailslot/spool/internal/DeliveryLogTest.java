package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.queue.AttemptOutcome;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.transport.Attempt;
import org.mailslot.support.maillog.MailLog;
import org.mailslot.support.maillog.MailLogEvent.Delivery;
import org.mailslot.support.maillog.MailLogEvent.Status;

class DeliveryLogTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-07T12:00:00Z");
    private static final MailAddress TO = MailAddress.parse("bob@example.org");

    private final Progress entry = new Progress(new HeldLease(Envelope.builder().from("alice@example.org").to(TO).build()));

    /** A lease that is only read: the delivery log needs the message's id, envelope, arrival and size. */
    private record HeldLease(Envelope envelope) implements Lease {
        public String id() {
            return "0018E2A3B4C5D0001F";
        }

        public Instant acceptedAt() {
            return RECEIVED;
        }

        public long size() {
            return 100;
        }

        public MessageSource message() {
            return MessageSource.of(new byte[0]);
        }

        public DeliveryState state() {
            return new DeliveryState(0, RECEIVED, Optional.empty(),
                    envelope.recipients().stream().map(RecipientProgress::pending).toList());
        }

        public Instant expires() {
            return RECEIVED.plusSeconds(3600);
        }

        public boolean renew(Duration by) {
            return true;
        }

        public void finish(AttemptOutcome outcome) {
            throw new UnsupportedOperationException();
        }

        public void putBack() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theDelaysSplitTheTimeSinceArrivalAsPostfixDoes() {
        Instant taken = RECEIVED.plusMillis(1500);
        Instant begun = taken.plusMillis(20);
        List<Attempt> attempts = List.of(
                new Attempt("192.0.2.25", 587, begun, Attempt.Result.REFUSED, "refused", java.util.Optional.empty()),
                new Attempt("192.0.2.25", 465, begun.plusMillis(300), Attempt.Result.DELIVERED, "250", java.util.Optional.empty()));
        DeliveryLog log = new DeliveryLog(Clock.fixed(begun.plusMillis(300 + 410), ZoneOffset.UTC));

        Delivery line = log.delivery(entry, TO, DeliveryLog.Leg.over(Delivery.relay("192.0.2.25", 465), taken, begun, attempts),
                Status.SENT, "2.0.0", "250 2.0.0 Ok");

        assertThat(MailLog.line(line)).isEqualTo("0018E2A3B4C5D0001F: to=<bob@example.org>, relay=192.0.2.25[192.0.2.25]:465, "
                + "delay=2.2, delays=1.5/0.02/0.3/0.41, dsn=2.0.0, status=sent (250 2.0.0 Ok)");
    }

    @Test
    void aRecipientNothingWasReachedForHasOnlyItsWaitAndNoRelay() {
        Instant taken = RECEIVED.plus(Duration.ofMinutes(5));
        DeliveryLog log = new DeliveryLog(Clock.fixed(taken, ZoneOffset.UTC));

        Delivery line = log.delivery(entry, TO, DeliveryLog.Leg.unreached(taken), Status.DEFERRED, null,
                "connect to mx.example.org: Connection refused");

        assertThat(MailLog.line(line)).isEqualTo("0018E2A3B4C5D0001F: to=<bob@example.org>, relay=none, delay=300, "
                + "delays=300/0/0/0, dsn=4.0.0, status=deferred (connect to mx.example.org: Connection refused)");
    }

    @Test
    void aConnectionReusedHasNoSetupTimeAndAClockThatWentBackNoNegativeDelay() {
        Instant taken = RECEIVED.plusMillis(10);
        DeliveryLog log = new DeliveryLog(Clock.fixed(RECEIVED.minusSeconds(1), ZoneOffset.UTC));

        Delivery line = log.delivery(entry, TO, DeliveryLog.Leg.over("mx.example.org:25", taken, taken, List.of()),
                Status.BOUNCED, "5.1.1", "550 5.1.1 No such user");

        assertThat(line.delay()).isZero();
        assertThat(line.delays().connecting()).isZero();
        assertThat(line.delays().transmitting()).isZero();
        assertThat(line.dsn()).isEqualTo("5.1.1");
    }
}
