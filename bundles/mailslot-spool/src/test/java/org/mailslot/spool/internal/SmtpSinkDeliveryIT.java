package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.files;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.Route;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.MutableClock;
import org.mailslot.testing.peers.SmtpSink;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.mailslot.transport.internal.delivery.RelayRoute;
import org.mailslot.transport.internal.delivery.RouteSettings;
import org.mailslot.transport.internal.delivery.SmtpMailTransport;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * Retry and DSN end to end: the spool and its scheduler deliver through the real
 * {@link SmtpMailTransport} (Angus Mail on a socket) to Postfix's {@code smtp-sink}, which answers
 * 4xx or 5xx as told. Time is a {@link MutableClock}: backoff is proven by advancing it, and the
 * scheduler's attempts are run with {@link DeliveryScheduler#runDue()}, so nothing sleeps.
 *
 * <p>Lives in the spool's tests because the scheduler's retry state is what is under test; the
 * transport and the TLS service join as test dependencies, as they join in Karaf as services.
 */
class SmtpSinkDeliveryIT {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final String SINK = SmtpSink.DEFAULT_ADDRESS;

    private static TlsServiceImpl tls;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private int port;
    private SmtpMailTransport transport;
    private FileSpool spool;
    private DeliveryScheduler scheduler;
    private SmtpSink sink;

    @BeforeAll
    static void tls() throws IOException {
        Path keys = Files.createTempDirectory("mailslot-spool-it");
        TestCa ca = TestCa.create();
        IssuedCertificate client = ca.issueServer("mailslot.test");
        tls = new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "identity.key", client.writeKeyPem(keys.resolve("key.pem")).toString(),
                "identity.certificates", client.writeChainPem(keys.resolve("chain.pem")).toString(),
                "self.signed.enabled", false, "reload.interval.seconds", 0)));
    }

    @BeforeEach
    void wire() throws IOException {
        port = freePort();
        transport = new SmtpMailTransport(tls, clock, Duration.ofMillis(50));
        // smtp-sink speaks no STARTTLS: a relay port whose strategy takes TLS when offered.
        transport.addStrategy(PortStrategy.of(port, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL),
                Map.of());
        Route route = new Route("sink", Route.Kind.RELAY, SINK, List.of(port), Set.of("example.org"), false,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        transport.addRelay(new RelayRoute(new RouteSettings(route, Optional.empty(), PeerVerification.FULL,
                Duration.ofSeconds(30), Duration.ofMinutes(10), Optional.of("mailslot.test")), 2));
        Settings settings = Settings.defaults(dir.resolve("spool"), dir.resolve("mailboxes"))
                .withRetry(Duration.ofMinutes(5), Duration.ofHours(4), Duration.ofDays(5));
        spool = new FileSpool(settings.spoolDirectory(), settings.maxMessageSize(), SpoolIo.SYSTEM, clock);
        scheduler = new DeliveryScheduler(new FileQueueStore(spool, clock), settings, () -> transport, List::of,
                new Maildir(settings.mailboxDirectory(), SpoolIo.SYSTEM, clock), clock);
    }

    @AfterEach
    void unwire() {
        scheduler.close();
        spool.close();
        transport.deactivate();
        if (sink != null) {
            sink.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(SINK))) {
            return socket.getLocalPort();
        }
    }

    private SmtpSink.Builder sink() {
        return SmtpSink.builder().address(SINK).port(port);
    }

    private QueueEntry only() {
        assertThat(spool.depth()).isEqualTo(1);
        return spool.entries().get(0).snapshot();
    }

    @Test
    void aServerAnswering4xxIsRetriedWithDoublingBackoffUntilItAccepts() throws Exception {
        sink = sink().softReject("RCPT").softReply("451 4.3.0 <bob@example.org>: Temporary lookup failure").start();
        byte[] body = message("retried", "Delivered on the third attempt.");
        submit(spool, envelope("alice@localhost", "bob@example.org"), body);

        scheduler.runDue();
        QueueEntry first = only();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.recipients().get(0).status()).isEqualTo(Status.DEFERRED);
        assertThat(first.lastError()).hasValueSatisfying(e -> assertThat(e).contains("451 4.3.0").contains("Temporary lookup failure"));
        assertThat(first.nextAttempt()).hasValue(T0.plus(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(4));
        scheduler.runDue();
        assertThat(only().attempts()).as("not due before the first backoff").isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        scheduler.runDue();
        QueueEntry second = only();
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.nextAttempt()).as("the backoff doubles").hasValue(T0.plus(Duration.ofMinutes(5 + 10)));
        assertThat(sink.acceptedMessages()).isZero();

        // The server recovers: same address, now accepting.
        sink.close();
        sink = sink().start();
        clock.advance(Duration.ofMinutes(10));
        scheduler.runDue();

        assertThat(spool.depth()).isZero();
        assertThat(sink.awaitAcceptedMessages(1, Duration.ofSeconds(10))).isEqualTo(1);
        String dumped = Files.readString(sink.dumpedMessages().get(0), StandardCharsets.UTF_8);
        assertThat(dumped).contains("X-Mail-Args: <alice@localhost>").contains("X-Rcpt-Args: <bob@example.org>")
                .contains("Subject: retried").contains("Delivered on the third attempt.");
        assertThat(files(dir.resolve("mailboxes/alice@localhost/new"))).as("no DSN for a delivered message").isEmpty();
    }

    @Test
    void aServerAnswering5xxMakesAnRfc3464ReportToTheSenderWithTheNullReturnPath() throws Exception {
        sink = sink().hardReject("RCPT").hardReply("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
                .start();
        submit(spool, envelope("alice@localhost", "bob@example.org"), message("refused", "Nobody is there."));

        scheduler.runDue(); // the refusal; the DSN is queued for the local sender
        scheduler.runDue(); // the DSN goes to alice's Maildir

        assertThat(spool.depth()).isZero();
        List<Path> inbox = files(dir.resolve("mailboxes/alice@localhost/new"));
        assertThat(inbox).hasSize(1);
        String raw = Files.readString(inbox.get(0), StandardCharsets.UTF_8);
        assertThat(raw).startsWith("Return-Path: <>\r\n");
        MimeMessage dsn;
        try (InputStream in = Files.newInputStream(inbox.get(0))) {
            dsn = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(dsn.getContentType()).contains("multipart/report").contains("report-type=delivery-status");
        MimeMultipart parts = (MimeMultipart) dsn.getContent();
        String report = new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(report).contains("Final-Recipient: rfc822; bob@example.org").contains("Action: failed")
                .contains("Status: 5.1.1")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
                .contains(SINK);
        assertThat(parts.getBodyPart(2).getContentType()).containsAnyOf("message/rfc822", "text/rfc822-headers");
        assertThat(new String(parts.getBodyPart(2).getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("Subject: refused");
        assertThat(sink.acceptedMessages()).isZero();
    }

    @Test
    void aRefusedBounceIsNeverBouncedAgain() throws Exception {
        sink = sink().hardReject("RCPT").start();
        // A remote sender: its DSN goes out through the same refusing server, with MAIL FROM:<>.
        submit(spool, envelope("carol@example.org", "bob@example.org"), message("loop", "Would loop."));

        scheduler.runDue(); // bob refused; a DSN to carol is queued
        assertThat(only().sender()).as("the DSN has the null reverse path").isEmpty();
        assertThat(only().recipients()).extracting(r -> r.address().toString()).containsExactly("carol@example.org");

        scheduler.runDue(); // carol refused too: the DSN is dropped, not bounced
        assertThat(spool.depth()).isZero();
        scheduler.runDue();
        assertThat(spool.depth()).isZero();
        assertThat(sink.acceptedMessages()).isZero();
        assertThat(dir.resolve("mailboxes")).satisfiesAnyOf(d -> assertThat(d).doesNotExist(),
                d -> assertThat(Files.list(d)).isEmpty());
    }

    @Test
    void aMessageWithTheNullReversePathIsRetriedLikeAnyOtherButNeverReported() throws Exception {
        sink = sink().softReject("RCPT").start();
        Envelope bounce = Envelope.builder().from((org.mailslot.api.mail.MailAddress) null).to("bob@example.org").build();
        submit(spool, bounce, message("bounce", "A report from elsewhere."));

        scheduler.runDue();
        assertThat(only().attempts()).isEqualTo(1);
        assertThat(only().lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("450 4.3.0"));

        sink.close();
        sink = sink().start();
        clock.advance(Duration.ofMinutes(5));
        scheduler.runDue();
        assertThat(spool.depth()).isZero();
        assertThat(sink.awaitAcceptedMessages(1, Duration.ofSeconds(10))).isEqualTo(1);
        assertThat(Files.readString(sink.dumpedMessages().get(0), StandardCharsets.UTF_8)).contains("X-Mail-Args: <>\n")
                .contains("Subject: bounce");
    }
}
