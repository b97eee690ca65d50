package org.mailslot.support.maillog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.support.maillog.MailLogEvent.Delays;
import org.mailslot.support.maillog.MailLogEvent.Delivery;
import org.mailslot.support.maillog.MailLogEvent.Identified;
import org.mailslot.support.maillog.MailLogEvent.Notification;
import org.mailslot.support.maillog.MailLogEvent.Notified;
import org.mailslot.support.maillog.MailLogEvent.Queued;
import org.mailslot.support.maillog.MailLogEvent.Received;
import org.mailslot.support.maillog.MailLogEvent.Removed;
import org.mailslot.support.maillog.MailLogEvent.Status;

class MailLogTest {

    private static final String ID = "0018E2A3B4C5D0001F";

    @Test
    void receptionLinesAreSmtpdCleanupAndQmgrs() throws Exception {
        assertThat(MailLog.line(new Received(ID, InetAddress.getByName("127.0.0.1"),
                Optional.of(new MailLogEvent.SaslLogin("LOGIN", "ops")))))
                .isEqualTo(ID + ": client=unknown[127.0.0.1], sasl_method=LOGIN, sasl_username=ops");
        assertThat(MailLog.line(new Received(ID, InetAddress.getByName("::1"), Optional.empty())))
                .isEqualTo(ID + ": client=unknown[0:0:0:0:0:0:0:1]");
        assertThat(MailLog.line(new Identified(ID, "<a.1@example.org>"))).isEqualTo(ID + ": message-id=<a.1@example.org>");
        assertThat(MailLog.line(new Identified(ID, ""))).isEqualTo(ID + ": message-id=<>");
        assertThat(MailLog.line(new Queued(ID, Optional.of(MailAddress.parse("ops@localhost")), 1234, 2)))
                .isEqualTo(ID + ": from=<ops@localhost>, size=1234, nrcpt=2 (queue active)");
        assertThat(MailLog.line(new Queued(ID, Optional.empty(), 10, 1)))
                .isEqualTo(ID + ": from=<>, size=10, nrcpt=1 (queue active)");
        assertThat(new Received(ID, InetAddress.getByName("127.0.0.1"), Optional.empty()).service().logger()).isEqualTo("org.mailslot.mail.smtpd");
        assertThat(new Identified(ID, "").service()).isEqualTo(MailLogEvent.Service.CLEANUP);
    }

    @Test
    void deliveryLinesCarryRelayDelaysDsnAndStatus() {
        Delays delays = new Delays(Duration.ofMillis(50), Duration.ofMillis(9), Duration.ZERO, Duration.ofMillis(1234));
        Delivery sent = new Delivery(ID, MailAddress.parse("alice@example.org"), Delivery.relay("127.0.0.2", 25),
                Duration.ofMillis(1301), delays, "2.0.0", Status.SENT, "250 2.0.0 Ok: queued as 4XyZ");
        assertThat(MailLog.line(sent)).isEqualTo(ID + ": to=<alice@example.org>, relay=127.0.0.2[127.0.0.2]:25, "
                + "delay=1.3, delays=0.05/0/0/1.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XyZ)");
        Delivery bounced = new Delivery(ID, MailAddress.parse("bob@localhost"), Delivery.LOCAL_RELAY,
                Duration.ofSeconds(376), Delays.NONE, Delivery.dsn("", Status.BOUNCED), Status.BOUNCED,
                "550 5.1.1 <bob@localhost>: User unknown\r\nX");
        assertThat(MailLog.line(bounced)).isEqualTo(ID + ": to=<bob@localhost>, relay=local, delay=376, delays=0/0/0/0, "
                + "dsn=5.0.0, status=bounced (550 5.1.1 <bob@localhost>: User unknown??X)");
        assertThat(sent.service().logger()).isEqualTo(MailLog.DELIVERY_LOGGER);
    }

    @Test
    void aRelayIsHostAddressAndPortAsFarAsKnown() {
        assertThat(Delivery.relay("", 0)).isEqualTo("none");
        assertThat(Delivery.relay("mx.example.org", 25)).isEqualTo("mx.example.org:25");
        assertThat(Delivery.relay("::1", 587)).isEqualTo("::1[::1]:587");
        assertThat(Delivery.dsn("4.4.1", Status.DEFERRED)).isEqualTo("4.4.1");
        assertThat(Delivery.dsn("", Status.EXPIRED)).isEqualTo("4.0.0");
        assertThat(Delivery.dsn("", Status.SENT)).isEqualTo("2.0.0");
    }

    @Test
    void delaysReadAsPostfixWritesThem() {
        assertThat(seconds(0)).isEqualTo("0");
        assertThat(seconds(4)).isEqualTo("0");
        assertThat(seconds(10)).isEqualTo("0.01");
        assertThat(seconds(89)).isEqualTo("0.08");
        assertThat(seconds(100)).isEqualTo("0.1");
        assertThat(seconds(319)).isEqualTo("0.31");
        assertThat(seconds(1000)).isEqualTo("1");
        assertThat(seconds(5480)).isEqualTo("5.4");
        assertThat(seconds(9999)).isEqualTo("9.9");
        assertThat(seconds(376_900)).isEqualTo("376");
        assertThat(seconds(-5)).isEqualTo("0");
    }

    @Test
    void noticesAndRemoval() {
        assertThat(MailLog.line(new Notified(ID, Notification.NON_DELIVERY, "0018E2A3B4C5E00020")))
                .isEqualTo(ID + ": sender non-delivery notification: 0018E2A3B4C5E00020");
        assertThat(MailLog.line(new Notified(ID, Notification.DELAY, "X"))).isEqualTo(ID + ": sender delay notification: X");
        assertThat(MailLog.line(new Removed(ID))).isEqualTo(ID + ": removed");
        assertThat(new Notified(ID, Notification.SUCCESS, "X").service()).isEqualTo(MailLogEvent.Service.BOUNCE);
        assertThat(new Removed(ID).service()).isEqualTo(MailLogEvent.Service.QMGR);
    }

    @Test
    void everyPartIsRequired() {
        assertThatThrownBy(() -> new Removed(null)).isInstanceOf(NullPointerException.class).hasMessage("queueId");
        assertThatThrownBy(() -> new Delivery(ID, MailAddress.parse("a@b"), "none", Duration.ZERO, null, "4.0.0",
                Status.DEFERRED, "")).hasMessage("delays");
    }

    private static String seconds(long millis) {
        return MailLog.seconds(new StringBuilder(), Duration.ofMillis(millis)).toString();
    }
}
