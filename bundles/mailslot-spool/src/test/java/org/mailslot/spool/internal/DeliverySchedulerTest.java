package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.files;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.transport.AppliedTlsPolicy;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.spool.internal.DeliveryScheduler.NamedProcessor;
import org.mailslot.spool.internal.Fixtures.FakeTransport;
import org.mailslot.support.maillog.MailLog;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.MutableClock;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

class DeliverySchedulerTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeTransport transport = new FakeTransport();
    private volatile FakeTransport available = transport;
    private final List<NamedProcessor> processors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private FileSpool spool;
    private DeliveryScheduler scheduler;

    private void start(Settings settings) throws IOException {
        spool = new FileSpool(settings.spoolDirectory(), settings.maxMessageSize(), SpoolIo.SYSTEM, clock);
        scheduler = new DeliveryScheduler(new FileQueueStore(spool, clock), settings, () -> available, () -> List.copyOf(processors),
                new Maildir(settings.mailboxDirectory(), SpoolIo.SYSTEM, clock), clock);
    }

    private Settings settings() {
        return Settings.defaults(dir.resolve("spool"), dir.resolve("mailboxes"));
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
            spool.close();
        }
    }

    private List<Path> maildir(String address) throws IOException {
        return files(dir.resolve("mailboxes").resolve(address).resolve("new"));
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private QueueEntry only() {
        assertThat(spool.depth()).isEqualTo(1);
        return spool.entries().get(0).snapshot();
    }

    @Test
    void deliversLocalRecipientsIntoTheirMaildir() throws Exception {
        start(settings());
        byte[] body = message("local", "Hello Bob");
        submit(spool, envelope("alice@example.org", "bob@localhost", "Carol@LOCALHOST"), body);

        scheduler.runDue();

        List<Path> bob = maildir("bob@localhost");
        assertThat(bob).hasSize(1);
        assertThat(text(bob.get(0))).startsWith("Return-Path: <alice@example.org>\r\nDelivered-To: bob@localhost\r\n")
                .endsWith(new String(body, StandardCharsets.UTF_8));
        assertThat(maildir("carol@localhost")).hasSize(1);
        assertThat(files(dir.resolve("mailboxes/bob@localhost/tmp"))).isEmpty();
        assertThat(dir.resolve("mailboxes/bob@localhost/cur")).isDirectory();
        assertThat(spool.depth()).isZero();
        assertThat(files(dir.resolve("spool/queue"))).isEmpty();
        assertThat(transport.deliveries).isEmpty();
    }

    @Test
    void groupsRemoteRecipientsByRouteAndMxByDomain() throws Exception {
        start(settings());
        submit(spool, envelope("alice@localhost", "a@example.org", "b@example.org", "c@example.net", "d@example.com"),
                message("remote", "x"));

        scheduler.runDue();

        assertThat(transport.deliveries).extracting(d -> d.route().name() + " " + d.envelope().recipients().stream()
                .map(r -> r.address().toString()).toList())
                .containsExactlyInAnyOrder("smarthost [a@example.org, b@example.org]", "mx [c@example.net]", "mx [d@example.com]");
        assertThat(spool.depth()).isZero();
    }

    @Test
    void aDestinationWhoseTlsPolicyIsNotMetWaitsForItWithThePolicyShown() throws Exception {
        start(settings().withDelayNotice(Optional.empty()));
        AppliedTlsPolicy dane = new AppliedTlsPolicy(TlsPolicyLevel.DANE, "tls.security.level=dane",
                "the certificate of mx.example.org matches none of its 1 usable TLSA records");
        transport.answer = (rcpt, route) -> new RecipientOutcome(rcpt, DeliveryStatus.TEMPORARY_FAILURE, 0, "4.7.5",
                "TLS with mx.example.org:25 failed", "mx.example.org", 25, Optional.empty(), FailureCause.TLS_POLICY)
                .withTlsPolicy(dane);
        submit(spool, envelope("alice@localhost", "bob@example.org"), message("dane", "x"));

        // The delivery line goes to the log (slf4j-simple writes to the standard error stream in tests), from the mail log's writer.
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            scheduler.runDue();
            assertThat(MailLog.flush(Duration.ofSeconds(30))).isTrue();
        } finally {
            System.setErr(err);
        }

        QueueEntry entry = only();
        assertThat(entry.waiting()).map(Waiting::reason).contains(WaitReason.TLS_POLICY);
        assertThat(entry.lastError()).contains("4.7.5 TLS with mx.example.org:25 failed (mx.example.org:25)"
                + " tls-policy=dane (tls.security.level=dane): the certificate of mx.example.org matches none of its 1"
                + " usable TLSA records");
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("to=<bob@example.org>").contains("status=deferred"
                + " (4.7.5 TLS with mx.example.org:25 failed tls-policy=dane (tls.security.level=dane): the certificate"
                + " of mx.example.org matches none of its 1 usable TLSA records)");
    }

    @Test
    void retriesTemporaryFailuresWithExponentialBackoffPerRecipient() throws Exception {
        // Without the delay notice, which would be a second message in the spool (see delayNoticeOnce...).
        start(settings().withDelayNotice(Optional.empty()));
        transport.answer = (rcpt, route) -> rcpt.localPart().equals("slow") ? FakeTransport.temporary(rcpt) : FakeTransport.accepted(rcpt);
        submit(spool, envelope("alice@localhost", "slow@example.org", "fast@example.org"), message("retry", "x"));

        scheduler.runDue();
        QueueEntry entry = only();
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.nextAttempt()).contains(T0.plus(Duration.ofMinutes(5)));
        assertThat(entry.lastError()).contains("451 4.3.0 Try again later (127.0.0.2:587)");
        assertThat(entry.waiting()).map(Waiting::reason).contains(WaitReason.DEFERRED_BY_NEXT_HOP);
        assertThat(entry.recipients()).extracting(r -> r.address() + " " + r.status())
                .containsExactly("slow@example.org DEFERRED", "fast@example.org DELIVERED");

        // Not due yet: nothing happens.
        clock.advance(Duration.ofMinutes(4));
        scheduler.runDue();
        assertThat(transport.deliveries).hasSize(1);

        List<Duration> delays = new ArrayList<>();
        Instant previous = T0;
        for (int i = 0; i < 9; i++) {
            Instant next = only().nextAttempt().orElseThrow();
            delays.add(Duration.between(previous, next));
            clock.advance(Duration.between(clock.instant(), next));
            previous = next;
            scheduler.runDue();
        }
        assertThat(delays).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20),
                Duration.ofMinutes(40), Duration.ofMinutes(80), Duration.ofMinutes(160), Duration.ofHours(4),
                Duration.ofHours(4), Duration.ofHours(4));
        // Only the deferred recipient is tried again.
        assertThat(transport.deliveries.subList(1, transport.deliveries.size()))
                .allSatisfy(d -> assertThat(d.envelope().recipients()).extracting(r -> r.address().toString())
                        .containsExactly("slow@example.org"));
        assertThat(only().attempts()).isEqualTo(10);
    }

    @Test
    void aDestinationThatDoesNotAnswerIsSuspendedUntilTheFirstRetryWhileOthersGoOn() throws Exception {
        start(settings().withDelayNotice(Optional.empty()).withLimits(1 << 20, 8, 8));
        AtomicInteger looks = new AtomicInteger();
        processors.add(new NamedProcessor("counter", (envelope, message) -> {
            looks.incrementAndGet();
            return ProcessingResult.proceed();
        }));
        transport.answer = (rcpt, route) -> route.name().equals("smarthost") ? FakeTransport.unanswered(rcpt)
                : FakeTransport.accepted(rcpt);
        String first = submit(spool, envelope("alice@localhost", "a@example.org"), message("first", "x")).id();
        scheduler.runDue();
        assertThat(transport.deliveries).hasSize(1);

        String second = submit(spool, envelope("alice@localhost", "b@example.org"), message("second", "x")).id();
        String mixed = submit(spool, envelope("alice@localhost", "c@example.org", "d@example.net"), message("mixed", "x")).id();
        scheduler.runDue();

        // Only the MX recipient was tried; the smarthost's mail waits without a connection attempt.
        assertThat(transport.deliveries).extracting(d -> d.route().name() + " " + d.envelope().recipients().get(0).address())
                .containsExactly("smarthost a@example.org", "mx d@example.net");
        QueueEntry waiting = spool.entry(second).orElseThrow().snapshot();
        assertThat(waiting.waiting()).map(Waiting::reason).contains(WaitReason.DESTINATION_SUSPENDED);
        assertThat(waiting.lastError()).contains("4.4.1 delivery temporarily suspended: no usable port on 127.0.0.2:"
                + " 587 refused the connection (Connection refused) (127.0.0.2)");
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.nextAttempt()).contains(T0.plus(Duration.ofMinutes(5)));
        assertThat(spool.entry(mixed).orElseThrow().snapshot().recipients()).extracting(r -> r.address() + " " + r.status())
                .containsExactly("c@example.org DEFERRED", "d@example.net DELIVERED");
        // The message whose only destination is suspended was not even opened by the pipeline, and as
        // nothing was tried, nothing was written: after a crash it is simply due again.
        assertThat(looks.get()).isEqualTo(2);
        assertThat(dir.resolve("spool/queue/" + second + ".state")).doesNotExist();
        assertThat(dir.resolve("spool/queue/" + first + ".state")).exists();

        // At the first retry the smarthost answers again, and everything goes.
        transport.answer = (rcpt, route) -> FakeTransport.accepted(rcpt);
        clock.advance(Duration.ofMinutes(5));
        scheduler.runDue();
        assertThat(spool.depth()).isZero();
        assertThat(transport.deliveries).hasSize(5);
        assertThat(spool.entry(first)).isEmpty();
    }

    @Test
    void aFlushOrAServerThatRepliesEndsNoSuspension() throws Exception {
        start(settings().withDelayNotice(Optional.empty()));
        transport.answer = (rcpt, route) -> FakeTransport.unanswered(rcpt);
        submit(spool, envelope("alice@localhost", "a@example.org"), message("first", "x"));
        scheduler.runDue();
        scheduler.resumeDestinations();
        submit(spool, envelope("alice@localhost", "b@example.org"), message("second", "x"));
        scheduler.runDue();
        assertThat(transport.deliveries).hasSize(2);

        // A server that answered 451 is up: its destination is not suspended.
        transport.answer = (rcpt, route) -> FakeTransport.temporary(rcpt);
        scheduler.resumeDestinations();
        submit(spool, envelope("alice@localhost", "c@example.org"), message("third", "x"));
        scheduler.runDue();
        submit(spool, envelope("alice@localhost", "d@example.org"), message("fourth", "x"));
        scheduler.runDue();
        assertThat(transport.deliveries).hasSize(4);
    }

    @Test
    void eachRecipientIsRoutedOncePerAttempt() throws Exception {
        start(settings().withDelayNotice(Optional.empty()));
        transport.answer = (rcpt, route) -> FakeTransport.temporary(rcpt);
        submit(spool, envelope("alice@localhost", "a@example.org", "b@example.net", "c@example.net", "bob@localhost"),
                message("routed", "x"));

        scheduler.runDue();

        assertThat(transport.routed).extracting(MailAddress::toString)
                .containsExactlyInAnyOrder("a@example.org", "b@example.net", "c@example.net");
        assertThat(transport.deliveries).extracting(d -> d.route().name() + " " + d.envelope().recipients().size())
                .containsExactly("smarthost 1", "mx 2");
    }

    @Test
    void theTransportsFailureCauseDecidesASuspensionNotItsCodes() throws Exception {
        start(settings().withDelayNotice(Optional.empty()));
        // A conversation cut off by the deadline: no reply code, and codes like a dead site's, yet a server answered.
        transport.answer = (rcpt, route) -> new RecipientOutcome(rcpt, DeliveryStatus.TEMPORARY_FAILURE, 0, "4.4.1",
                "timed out: no reply within 1 s", "127.0.0.2", 587, Optional.empty(), FailureCause.TIMED_OUT);
        submit(spool, envelope("alice@localhost", "a@example.org"), message("first", "x"));
        scheduler.runDue();
        submit(spool, envelope("alice@localhost", "b@example.org"), message("second", "x"));
        scheduler.runDue();
        assertThat(transport.deliveries).hasSize(2);

        // No server usable, said by a transport with a code of its own: the destination is suspended.
        transport.answer = (rcpt, route) -> new RecipientOutcome(rcpt, DeliveryStatus.TEMPORARY_FAILURE, 0, "4.4.0",
                "nothing listens", "", 0, Optional.empty(), FailureCause.NO_USABLE_SERVER);
        submit(spool, envelope("alice@localhost", "c@example.org"), message("third", "x"));
        scheduler.runDue();
        String fourth = submit(spool, envelope("alice@localhost", "d@example.org"), message("fourth", "x")).id();
        scheduler.runDue();
        assertThat(transport.deliveries).hasSize(3);
        assertThat(spool.entry(fourth).orElseThrow().snapshot().lastError())
                .contains("4.4.1 delivery temporarily suspended: nothing listens");
    }

    @Test
    void aPermanentFailureSendsAnRfc3464ReportWithTheOriginalHeaders() throws Exception {
        start(settings());
        transport.answer = (rcpt, route) -> FakeTransport.permanent(rcpt);
        Envelope envelope = Envelope.builder().from("alice@localhost")
                .to(new Recipient(MailAddress.parse("nobody@example.org"), Set.of(), Optional.of("rfc822;nobody@example.org")))
                .envelopeId("QQ314159").build();
        submit(spool, envelope, message("doomed", "secret body"));

        scheduler.runDue();
        scheduler.runDue();

        List<Path> inbox = maildir("alice@localhost");
        assertThat(inbox).hasSize(1);
        String raw = text(inbox.get(0));
        assertThat(raw).startsWith("Return-Path: <>\r\n");
        MimeMessage dsn = parse(inbox.get(0));
        assertThat(dsn.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(dsn.getContentType()).contains("multipart/report").contains("report-type=delivery-status");
        MimeMultipart parts = (MimeMultipart) dsn.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat((String) parts.getBodyPart(0).getContent()).contains("<nobody@example.org>: 550 5.1.1 User unknown");
        BodyPart status = parts.getBodyPart(1);
        assertThat(status.getContentType()).startsWith("message/delivery-status");
        String report = new String(status.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(report).contains("Reporting-MTA: dns; mailslot.localhost\r\n")
                .contains("Original-Envelope-Id: QQ314159\r\n")
                .contains("Original-Recipient: rfc822;nobody@example.org\r\n")
                .contains("Final-Recipient: rfc822; nobody@example.org\r\n")
                .contains("Action: failed\r\n").contains("Status: 5.1.1\r\n")
                .contains("Remote-MTA: dns; 127.0.0.2\r\n")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n");
        BodyPart original = parts.getBodyPart(2);
        assertThat(original.getContentType()).startsWith("text/rfc822-headers");
        String headers = new String(original.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(headers).contains("Subject: doomed").doesNotContain("secret body");
        assertThat(spool.depth()).isZero();
    }

    @Test
    void retFullReturnsTheWholeMessage() throws Exception {
        start(settings());
        transport.answer = (rcpt, route) -> FakeTransport.permanent(rcpt);
        submit(spool, Envelope.builder().from("alice@localhost").to("nobody@example.org").dsnReturn(DsnReturn.FULL).build(),
                message("whole", "the body comes back"));

        scheduler.runDue();
        scheduler.runDue();

        MimeMessage dsn = parse(maildir("alice@localhost").get(0));
        BodyPart original = ((MimeMultipart) dsn.getContent()).getBodyPart(2);
        assertThat(original.getContentType()).startsWith("message/rfc822");
        MimeMessage returned = (MimeMessage) original.getContent();
        assertThat(returned.getSubject()).isEqualTo("whole");
        assertThat(returned.getContent().toString()).contains("the body comes back");
    }

    @Test
    void expiryBouncesWith447AndNotifyNeverSuppressesTheReport() throws Exception {
        start(settings().withRetry(Duration.ofMinutes(5), Duration.ofHours(4), Duration.ofHours(1)));
        transport.answer = (rcpt, route) -> FakeTransport.temporary(rcpt);
        submit(spool, Envelope.builder().from("alice@localhost").to("late@example.org")
                .to(new Recipient(MailAddress.parse("quiet@example.org"), Set.of(DsnNotify.NEVER), Optional.empty())).build(),
                message("expiring", "x"));

        for (int i = 0; i < 20 && spool.entries().stream().anyMatch(e -> e.snapshot().sender().isPresent()); i++) {
            scheduler.runDue();
            spool.entries().stream().filter(e -> e.snapshot().sender().isPresent()).findFirst()
                    .ifPresent(e -> clock.advance(Duration.between(clock.instant(), e.nextAttempt())));
        }
        assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(1)));
        scheduler.runDue();

        MimeMessage dsn = parse(maildir("alice@localhost").get(0));
        String report = new String(((MimeMultipart) dsn.getContent()).getBodyPart(1).getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII);
        assertThat(report).contains("Final-Recipient: rfc822; late@example.org").contains("Status: 4.4.7")
                .contains("delivery time expired after PT1H; last error: 451 4.3.0 Try again later")
                .doesNotContain("quiet@example.org");
        assertThat(spool.depth()).isZero();
    }

    @Test
    void neverBouncesABounce() throws Exception {
        start(settings());
        transport.answer = (rcpt, route) -> FakeTransport.permanent(rcpt);
        submit(spool, envelope("", "nobody@example.org"), message("a bounce", "x"));

        scheduler.runDue();
        scheduler.runDue();

        assertThat(transport.deliveries).hasSize(1);
        assertThat(transport.deliveries.get(0).envelope().reversePath()).isEmpty();
        assertThat(spool.depth()).isZero();
        assertThat(files(dir.resolve("mailboxes"))).isEmpty();
    }

    @Test
    void withoutATransportRemoteMailWaitsAndGoesWhenOneArrives() throws Exception {
        available = null;
        start(settings());
        submit(spool, envelope("alice@example.org", "bob@localhost", "carol@example.net"), message("waiting", "x"));

        scheduler.runDue();

        assertThat(maildir("bob@localhost")).hasSize(1);
        QueueEntry entry = only();
        assertThat(entry.lastError()).contains(DeliveryScheduler.NO_TRANSPORT);
        assertThat(entry.waiting()).contains(new Waiting(WaitReason.NO_TRANSPORT, DeliveryScheduler.NO_TRANSPORT));
        assertThat(entry.recipients()).extracting(RecipientState::status).containsExactly(Status.DELIVERED, Status.DEFERRED);

        available = transport;
        scheduler.transportArrived();
        scheduler.runDue();

        assertThat(transport.deliveries).hasSize(1);
        assertThat(spool.depth()).isZero();
    }

    @Test
    void whileARequiredStageIsMissingNothingIsDeliveredAndItGoesWhenTheStageArrives() throws Exception {
        start(settings().withRequiredStages(List.of("crypto-policy")));
        processors.add(new NamedProcessor("footer", header("X-Footer: 1")));
        submit(spool, envelope("alice@example.org", "bob@localhost", "carol@example.net"), message("held", "x"));

        scheduler.runDue();
        clock.advance(Duration.ofDays(6));
        scheduler.runDue();

        assertThat(maildir("bob@localhost")).isEmpty();
        assertThat(transport.deliveries).isEmpty();
        QueueEntry held = only();
        assertThat(held.lastError()).contains(DeliveryScheduler.MISSING_STAGE + "crypto-policy (is its bundle started?)");
        assertThat(held.waiting()).map(Waiting::reason).contains(WaitReason.MISSING_PIPELINE_STAGE);
        assertThat(held.attempts()).isZero();

        processors.add(new NamedProcessor("crypto-policy", header("X-Policy: applied")));
        scheduler.processorArrived();
        scheduler.runDue();

        assertThat(text(maildir("bob@localhost").get(0))).contains("X-Policy: applied");
        assertThat(transport.deliveries).hasSize(1);
        assertThat(spool.depth()).isZero();
    }

    @Test
    void processorsRunByRankingAndTheirTransformationIsDelivered() throws Exception {
        start(settings());
        processors.add(new NamedProcessor("first", header("X-First: 1")));
        processors.add(new NamedProcessor("second", header("X-Second: 2")));
        submit(spool, envelope("alice@example.org", "bob@localhost"), message("processed", "x"));

        scheduler.runDue();

        // Each processor prepends, so the later one's header comes first.
        assertThat(text(maildir("bob@localhost").get(0))).contains("Delivered-To: bob@localhost\r\nX-Second: 2\r\nX-First: 1\r\nFrom:");
    }

    @Test
    void everyCopyAProcessorMakesGoesInTheSameAttemptAndLaterStagesSeeEachCopy() throws Exception {
        start(settings().withDelayNotice(Optional.empty()));
        // As the crypto policy does: a copy per group of recipients that must get different octets.
        processors.add(new NamedProcessor("split", (envelope, message) -> ProcessingResult.proceed(List.of(
                new ProcessingResult.Copy(envelope.onlyFor(r -> r.address().domain().equals("example.org")),
                        MessageSource.of("Subject: for example.org\r\n\r\nA\r\n".getBytes(StandardCharsets.US_ASCII))),
                new ProcessingResult.Copy(envelope.onlyFor(r -> !r.address().domain().equals("example.org")),
                        MessageSource.of("Subject: for the others\r\n\r\nB\r\n".getBytes(StandardCharsets.US_ASCII)))))));
        processors.add(new NamedProcessor("signature", header("X-Signed: 1")));
        String id = submit(spool, envelope("alice@localhost", "a@example.org", "b@example.net", "bob@localhost",
                "c@example.org"), message("split", "x")).id();

        scheduler.runDue();

        assertThat(transport.deliveries).extracting(d -> d.route().name() + " "
                + d.envelope().recipients().stream().map(r -> r.address().toString()).toList() + " "
                + new String(d.message(), StandardCharsets.US_ASCII).lines().limit(2).toList())
                .containsExactly("smarthost [a@example.org, c@example.org] [X-Signed: 1, Subject: for example.org]",
                        "mx [b@example.net] [X-Signed: 1, Subject: for the others]");
        assertThat(text(maildir("bob@localhost").get(0))).contains("X-Signed: 1\r\nSubject: for the others\r\n");
        assertThat(spool.entry(id)).isEmpty();
    }

    @Test
    void aRefusingProcessorFailsTheRecipientsAtOnceAndTellsTheSender() throws Exception {
        start(settings());
        processors.add(new NamedProcessor("crypto-policy", (envelope, message) -> envelope.reversePath().isEmpty()
                ? ProcessingResult.proceed() : ProcessingResult.refuse("5.7.1", "not entitled to sign as ceo@example.org")));
        submit(spool, envelope("alice@localhost", "bob@example.org"), message("forged", "x"));

        scheduler.runDue(); // the refusal; the DSN is queued for the local sender
        scheduler.runDue(); // the DSN goes to alice's Maildir

        assertThat(transport.deliveries).isEmpty();
        assertThat(maildir("alice@localhost")).singleElement().satisfies(dsn -> assertThat(text(dsn))
                .contains("multipart/report").contains("Action: failed").contains("Status: 5.7.1")
                .contains("crypto-policy refused the message: not entitled to sign as ceo@example.org"));
        assertThat(spool.depth()).isZero();
    }

    @Test
    void aDeferringProcessorKeepsTheMessageWithItsReason() throws Exception {
        start(settings());
        AtomicInteger calls = new AtomicInteger();
        NamedProcessor policy = new NamedProcessor("crypto-policy", (envelope, message) -> {
            calls.incrementAndGet();
            return ProcessingResult.defer(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING, "no OpenPGP key for bob@example.org");
        });
        processors.add(policy);
        submit(spool, envelope("alice@localhost", "bob@example.org"), message("secret", "x"));

        scheduler.runDue();

        QueueEntry entry = only();
        assertThat(entry.waiting()).contains(new Waiting(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING,
                "no OpenPGP key for bob@example.org"));
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.nextAttempt()).contains(T0.plus(Duration.ofMinutes(5)));
        assertThat(entry.recipients()).extracting(RecipientState::status).containsExactly(Status.PENDING);
        assertThat(transport.deliveries).isEmpty();

        processors.remove(policy);
        processors.add(new NamedProcessor("broken", (envelope, message) -> {
            throw new IllegalStateException("key store locked");
        }));
        clock.advance(Duration.ofMinutes(5));
        scheduler.runDue();
        assertThat(only().waiting()).contains(new Waiting(WaitReason.DEFERRED_BY_PROCESSOR, "broken failed: key store locked"));
        assertThat(transport.deliveries).isEmpty();

        processors.clear();
        clock.advance(Duration.ofMinutes(10));
        scheduler.runDue();
        assertThat(transport.deliveries).hasSize(1);
        assertThat(spool.depth()).isZero();
        assertThat(calls).hasValue(1);
    }

    @Test
    void limitsDeliveriesPerDestination() throws Exception {
        start(settings().withLimits(1 << 20, 8, 2));
        Map<String, AtomicInteger> current = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> highest = new ConcurrentHashMap<>();
        CountDownLatch release = new CountDownLatch(1);
        transport.answer = (rcpt, route) -> {
            String destination = route.kind() == Route.Kind.MX ? rcpt.domain() : route.name();
            int now = current.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
            highest.computeIfAbsent(destination, d -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            waitFor(release);
            current.get(destination).decrementAndGet();
            return FakeTransport.accepted(rcpt);
        };
        for (int i = 0; i < 6; i++) {
            submit(spool, envelope("alice@localhost", "user" + i + "@example.org"), message("relay " + i, "x"));
            submit(spool, envelope("alice@localhost", "user" + i + "@example.net"), message("mx " + i, "x"));
        }
        scheduler.start(Duration.ofMillis(20));

        await().atMost(Duration.ofSeconds(20)).until(() -> current.getOrDefault("smarthost", new AtomicInteger()).get() == 2
                && current.getOrDefault("example.net", new AtomicInteger()).get() == 2);
        assertThat(spool.entries()).filteredOn(e -> e.snapshot().attempts() > 0).isEmpty();
        release.countDown();

        await().atMost(Duration.ofSeconds(20)).until(() -> spool.depth() == 0);
        assertThat(highest.get("smarthost")).hasValue(2);
        assertThat(highest.get("example.net")).hasValue(2);
        assertThat(transport.deliveries).hasSize(12);
    }

    @Test
    void localMailIsDeliveredWhileEveryRemoteWorkerIsHeldByANextHopThatDoesNotAnswer() throws Exception {
        // Two remote workers, both held by a relay that takes the data and never answers.
        start(settings().withLimits(1 << 20, 2, 2));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        transport.answer = (rcpt, route) -> {
            if (rcpt.domain().equals("example.org")) {
                held.incrementAndGet();
                waitFor(release);
            }
            return FakeTransport.accepted(rcpt);
        };
        for (int i = 0; i < 4; i++) {
            submit(spool, envelope("alice@localhost", "user" + i + "@example.org"), message("stalled " + i, "x"));
        }
        scheduler.start(Duration.ofMillis(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> held.get() == 2);

        submit(spool, envelope("alice@example.net", "bob@localhost"), message("local", "x"));
        submit(spool, envelope("alice@example.net", "carol@localhost", "dave@example.org"), message("mixed", "x"));

        await().atMost(Duration.ofSeconds(20)).until(() -> maildir("bob@localhost").size() == 1
                && maildir("carol@localhost").size() == 1);
        assertThat(held).hasValue(2);
        release.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.depth() == 0);
        assertThat(transport.deliveries).extracting(d -> d.envelope().recipients().get(0).address().toString())
                .contains("dave@example.org").hasSize(5);
        assertThat(maildir("carol@localhost")).hasSize(1);
    }

    @Test
    void anUnknownLocalUserFailsAtDeliveryWith550AndGetsNoMaildir() throws Exception {
        start(settings().withLocalRecipients(RecipientRules.parse(List.of("bob@localhost")), 0));
        submit(spool, envelope("alice@example.org", "bob@localhost", "nobody1@localhost", "postmaster@localhost"),
                message("invented", "x"));

        scheduler.runDue();
        scheduler.runDue();

        assertThat(maildir("bob@localhost")).hasSize(1);
        assertThat(maildir("postmaster@localhost")).hasSize(1);
        assertThat(dir.resolve("mailboxes/nobody1@localhost")).doesNotExist();
        assertThat(transport.deliveries).singleElement().satisfies(dsn -> {
            assertThat(dsn.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly("alice@example.org");
            assertThat(new String(dsn.message(), StandardCharsets.UTF_8)).contains("Final-Recipient: rfc822; nobody1@localhost")
                    .contains("Status: 5.1.1").contains("User unknown in local recipient table");
        });
    }

    @Test
    void aMessageThatWouldTakeTheMailboxPastItsLimitFailsWith552AndTheMailboxKeepsWhatItHad() throws Exception {
        start(settings().withLocalRecipients(RecipientRules.ANY, 4096));
        submit(spool, envelope("alice@example.org", "bob@localhost"), message("small", "x"));
        scheduler.runDue();
        assertThat(maildir("bob@localhost")).hasSize(1);

        submit(spool, envelope("alice@example.org", "bob@localhost"), message("large", "x".repeat(8192)));
        scheduler.runDue();
        scheduler.runDue();

        assertThat(maildir("bob@localhost")).hasSize(1);
        assertThat(files(dir.resolve("mailboxes/bob@localhost/tmp"))).isEmpty();
        assertThat(transport.deliveries).singleElement().satisfies(dsn -> assertThat(
                new String(dsn.message(), StandardCharsets.UTF_8)).contains("Status: 5.2.2")
                .contains("552 5.2.2 the message would take the mailbox of bob@localhost past its size limit"));
    }

    @Test
    void theMessageIsReadFromTheSpoolForEveryAttempt() throws Exception {
        start(settings());
        byte[] body = message("bytes", "x".repeat(200_000));
        transport.answer = (rcpt, route) -> FakeTransport.temporary(rcpt);
        submit(spool, envelope("alice@localhost", "bob@example.org"), body);
        scheduler.runDue();
        transport.answer = (rcpt, route) -> FakeTransport.accepted(rcpt);
        clock.advance(Duration.ofMinutes(5));
        scheduler.runDue();
        assertThat(transport.deliveries).hasSize(2).allSatisfy(d -> assertThat(d.message()).isEqualTo(body));
    }

    @Test
    void notifySuccessGetsADeliveredNoticeForALocalDelivery() throws Exception {
        start(settings());
        submit(spool, Envelope.builder().from("alice@localhost").dsnReturn(DsnReturn.FULL).envelopeId("QQ+314=159")
                .to(new Recipient(MailAddress.parse("bob@localhost"), Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE),
                        Optional.of("rfc822;bob+tag@localhost")))
                .to("carol@localhost")
                .to(new Recipient(MailAddress.parse("dave@localhost"), Set.of(DsnNotify.NEVER), Optional.empty())).build(),
                message("delivered", "the body stays home"));

        scheduler.runDue();
        scheduler.runDue();

        assertThat(maildir("bob@localhost")).hasSize(1);
        List<Path> inbox = maildir("alice@localhost");
        assertThat(inbox).hasSize(1);
        assertThat(text(inbox.get(0))).startsWith("Return-Path: <>\r\n");
        MimeMessage dsn = parse(inbox.get(0));
        assertThat(dsn.getSubject()).isEqualTo("Successful Mail Delivery Report");
        MimeMultipart parts = (MimeMultipart) dsn.getContent();
        assertThat((String) parts.getBodyPart(0).getContent()).contains("<bob@localhost>: delivered");
        assertThat(report(dsn)).contains("Original-Envelope-Id: QQ+314=159\r\n")
                .contains("Original-Recipient: rfc822;bob+tag@localhost\r\n")
                .contains("Final-Recipient: rfc822; bob@localhost\r\nAction: delivered\r\nStatus: 2.0.0\r\n")
                .doesNotContain("carol@localhost").doesNotContain("dave@localhost").doesNotContain("Will-Retry-Until");
        // RET=FULL is for failures: a success returns the headers only.
        assertThat(parts.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
        assertThat(new String(parts.getBodyPart(2).getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("Subject: delivered").doesNotContain("the body stays home");
        assertThat(spool.depth()).isZero();
    }

    @Test
    void aNextHopWithoutDsnGetsARelayedNoticeAndOneWithDsnIsLeftToReport() throws Exception {
        start(settings());
        transport.answer = (rcpt, route) -> new RecipientOutcome(rcpt, DeliveryStatus.ACCEPTED, 250, "2.0.0", "Ok: queued",
                "127.0.0.2", 587, Optional.empty(), rcpt.localPart().equals("old"));
        submit(spool, Envelope.builder().from("alice@localhost")
                .to(new Recipient(MailAddress.parse("old@example.org"), Set.of(DsnNotify.SUCCESS), Optional.empty()))
                .to(new Recipient(MailAddress.parse("new@example.org"), Set.of(DsnNotify.SUCCESS), Optional.empty()))
                .to(new Recipient(MailAddress.parse("quiet@example.org"), Set.of(DsnNotify.FAILURE), Optional.empty())).build(),
                message("relayed", "x"));

        scheduler.runDue();
        scheduler.runDue();

        MimeMessage dsn = parse(maildir("alice@localhost").get(0));
        assertThat(dsn.getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat(report(dsn)).contains("Final-Recipient: rfc822; old@example.org\r\nAction: relayed\r\nStatus: 2.0.0\r\n"
                        + "Remote-MTA: dns; 127.0.0.2\r\nDiagnostic-Code: smtp; 250 2.0.0 Ok: queued (127.0.0.2:587)\r\n")
                .doesNotContain("new@example.org").doesNotContain("quiet@example.org");
        assertThat(maildir("alice@localhost")).hasSize(1);
        assertThat(spool.depth()).isZero();
    }

    @Test
    void aDelayIsReportedOnceAfterTheConfiguredAgeToWhoeverAskedAndSurvivesARestart() throws Exception {
        Settings settings = settings().withRetry(Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofDays(1))
                .withDelayNotice(Optional.of(Duration.ofHours(2)));
        start(settings);
        transport.answer = (rcpt, route) -> FakeTransport.temporary(rcpt);
        String id = submit(spool, Envelope.builder().from("alice@localhost")
                .to(new Recipient(MailAddress.parse("slow@example.org"), Set.of(DsnNotify.DELAY, DsnNotify.FAILURE),
                        Optional.of("rfc822;slow@example.org")))
                .to("plain@example.org")
                .to(new Recipient(MailAddress.parse("failonly@example.org"), Set.of(DsnNotify.FAILURE), Optional.empty()))
                .to(new Recipient(MailAddress.parse("never@example.org"), Set.of(DsnNotify.NEVER), Optional.empty())).build(),
                message("slow", "the body stays home")).id();

        attemptUntil(id, T0.plus(Duration.ofMinutes(90)));
        assertThat(maildir("alice@localhost")).as("not yet two hours old").isEmpty();
        attemptUntil(id, T0.plus(Duration.ofHours(2)));

        List<Path> inbox = maildir("alice@localhost");
        assertThat(inbox).hasSize(1);
        MimeMessage dsn = parse(inbox.get(0));
        assertThat(dsn.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        assertThat((String) ((MimeMultipart) dsn.getContent()).getBodyPart(0).getContent())
                .contains("It will be retried until Sun, 29 Nov 2026 10:00:00 GMT");
        assertThat(report(dsn)).contains("Original-Recipient: rfc822;slow@example.org\r\n"
                        + "Final-Recipient: rfc822; slow@example.org\r\nAction: delayed\r\nStatus: 4.3.0\r\n"
                        + "Diagnostic-Code: smtp; 451 4.3.0 Try again later (127.0.0.2:587)\r\n")
                .contains("Final-Recipient: rfc822; plain@example.org\r\nAction: delayed\r\n")
                .contains("Will-Retry-Until: Sun, 29 Nov 2026 10:00:00 GMT\r\n")
                .doesNotContain("failonly@example.org").doesNotContain("never@example.org");
        assertThat(((MimeMultipart) dsn.getContent()).getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");

        // Once: neither later attempts nor a restart of the spool say it again.
        attemptUntil(id, T0.plus(Duration.ofHours(4)));
        scheduler.close();
        spool.close();
        start(settings);
        attemptUntil(id, T0.plus(Duration.ofHours(6)));
        assertThat(maildir("alice@localhost")).hasSize(1);
        assertThat(spool.entry(id).orElseThrow().snapshot().attempts()).isEqualTo(13);
    }

    @Test
    void delayNoticesCanBeTurnedOff() throws Exception {
        start(settings().withRetry(Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(1)).withDelayNotice(Optional.empty()));
        transport.answer = (rcpt, route) -> FakeTransport.temporary(rcpt);
        String id = submit(spool, envelope("alice@localhost", "slow@example.org"), message("slow", "x")).id();
        attemptUntil(id, T0.plus(Duration.ofHours(12)));
        assertThat(maildir("alice@localhost")).isEmpty();
        assertThat(Settings.from(ComponentConfig.of(DeliveryConfig.class, Map.of("delay.notice", "never")), "data").delayNotice()).isEmpty();
        assertThat(Settings.from(ComponentConfig.of(DeliveryConfig.class, Map.of("delay.notice", "90m")), "data").delayNotice()).contains(Duration.ofMinutes(90));
        assertThatThrownBy(() -> Settings.from(ComponentConfig.of(DeliveryConfig.class, Map.of("delay.notice", "soon")), "data"))
                .hasMessageContaining("delay.notice");
    }

    /** Runs every attempt of the message due up to and including {@code until}, and delivers any notices. */
    private void attemptUntil(String id, Instant until) {
        scheduler.runDue();
        while (true) {
            Instant next = spool.entry(id).orElseThrow().nextAttempt();
            if (next.isAfter(until)) {
                return;
            }
            clock.advance(Duration.between(clock.instant(), next));
            scheduler.runDue();
            scheduler.runDue();
        }
    }

    private static String report(MimeMessage dsn) throws Exception {
        BodyPart status = ((MimeMultipart) dsn.getContent()).getBodyPart(1);
        assertThat(status.getContentType()).startsWith("message/delivery-status");
        return new String(status.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static MessageProcessor header(String header) {
        return (envelope, message) -> {
            byte[] original = Fixtures.read(message);
            byte[] line = (header + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] changed = new byte[line.length + original.length];
            System.arraycopy(line, 0, changed, 0, line.length);
            System.arraycopy(original, 0, changed, line.length, original.length);
            return ProcessingResult.proceed(null, MessageSource.of(changed));
        };
    }

    private static MimeMessage parse(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }


    @Test
    void aBusyDestinationDoesNotSendItsWaitingMessagesRoundTheWorkers() throws Exception {
        start(settings().withLimits(1 << 20, 8, 1));
        AtomicInteger looks = new AtomicInteger();
        processors.add(new NamedProcessor("counter", (envelope, message) -> {
            looks.incrementAndGet();
            return ProcessingResult.proceed();
        }));
        CountDownLatch release = new CountDownLatch(1);
        transport.answer = (rcpt, route) -> {
            waitFor(release);
            return FakeTransport.accepted(rcpt);
        };
        scheduler.start(Duration.ofHours(1));
        int messages = 100;
        for (int i = 0; i < messages; i++) {
            submit(spool, envelope("alice@localhost", "user" + i + "@example.org"), message("queued " + i, "x"));
        }
        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> spool.depth() == 0);
        assertThat(transport.deliveries).hasSize(messages);
        // Each delivery wakes the dispatcher at most twice, and a dispatch claims at most one message per
        // worker; rescanning every waiting message after every commit and delivery looked thousands of times.
        assertThat(looks.get()).isLessThanOrEqualTo(messages * (1 + 2 * 8));
    }

    @Test
    void aMessageWhoseDestinationIsBusyIsNotRunThroughThePipeline() throws Exception {
        start(settings().withLimits(1 << 20, 8, 1));
        AtomicInteger looks = new AtomicInteger();
        processors.add(new NamedProcessor("counter", (envelope, message) -> {
            looks.incrementAndGet();
            return ProcessingResult.proceed();
        }));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger delivering = new AtomicInteger();
        transport.answer = (rcpt, route) -> {
            delivering.incrementAndGet();
            waitFor(release);
            return FakeTransport.accepted(rcpt);
        };
        scheduler.start(Duration.ofMillis(20));
        submit(spool, envelope("alice@localhost", "first@example.org"), message("first", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> delivering.get() == 1);
        for (int i = 0; i < 4; i++) {
            submit(spool, envelope("alice@localhost", "user" + i + "@example.org"), message("waiting " + i, "x"));
        }
        // The looks every 20 ms take each waiting message up and route it, again and again.
        await().atMost(Duration.ofSeconds(20)).until(() -> transport.routed.size() > 1 + 4 * 3);
        assertThat(looks).as("pipeline runs while the only destination was busy").hasValue(1);
        assertThat(spool.entries()).filteredOn(e -> e.snapshot().attempts() > 0).isEmpty();

        release.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.depth() == 0);
        assertThat(transport.deliveries).hasSize(5);
    }

    @Test
    void aMessageRunsThroughThePipelineOnlyWithItsDestinationsSlotTaken() throws Exception {
        start(settings().withLimits(1 << 20, 8, 1));
        int messages = 8;
        AtomicInteger looks = new AtomicInteger();
        // Each stage run waits until every message has been taken up and routed: all of them plan at once,
        // and each must find the one slot of their relay route taken (or take it) before its stage runs.
        processors.add(new NamedProcessor("signer", (envelope, message) -> {
            looks.incrementAndGet();
            await().atMost(Duration.ofSeconds(20)).until(() -> Set.copyOf(transport.routed).size() == messages);
            return ProcessingResult.proceed();
        }));
        for (int i = 0; i < messages; i++) {
            submit(spool, envelope("alice@localhost", "user" + i + "@example.org"), message("contended " + i, "x"));
        }
        scheduler.start(Duration.ofHours(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> spool.depth() == 0);
        assertThat(transport.deliveries).hasSize(messages);
        assertThat(looks).as("stage runs, one per delivery: none for an attempt that then found the slot taken")
                .hasValue(messages);
    }

    @Test
    void aRecipientWhoseDestinationWasTakenGoesWhenItFreesNotAfterTheBackoff() throws Exception {
        start(settings().withLimits(1 << 20, 8, 1).withDelayNotice(Optional.empty()));
        CountDownLatch release = new CountDownLatch(1);
        transport.answer = (rcpt, route) -> {
            if (rcpt.localPart().equals("first")) {
                waitFor(release);
            }
            return FakeTransport.accepted(rcpt);
        };
        scheduler.start(Duration.ofMillis(20));
        submit(spool, envelope("alice@localhost", "first@example.org"), message("first", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> transport.routed.size() == 1);
        // The relay route's one slot is taken: the MX recipient goes now, the relay one when the slot frees.
        submit(spool, envelope("alice@localhost", "later@example.org", "now@example.net"), message("both", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> transport.deliveries.stream()
                .anyMatch(d -> d.envelope().recipients().get(0).address().toString().equals("now@example.net")));

        release.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.depth() == 0);
        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(transport.deliveries).extracting(d -> d.envelope().recipients().get(0).address().toString())
                .containsExactlyInAnyOrder("first@example.org", "now@example.net", "later@example.org");
    }

    @Test
    void aMessageHeldByOneNextHopDoesNotHoldItsOtherDestinationsSlots() throws Exception {
        start(settings().withLimits(1 << 20, 8, 1).withDelayNotice(Optional.empty()));
        CountDownLatch release = new CountDownLatch(1);
        transport.answer = (rcpt, route) -> {
            if (rcpt.localPart().equals("stuck")) {
                waitFor(release);
            }
            return FakeTransport.accepted(rcpt);
        };
        scheduler.start(Duration.ofMillis(20));
        submit(spool, envelope("alice@localhost", "stuck@example.org", "later@example.net"), message("both", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> transport.routed.size() == 2);

        // While the relay holds the first message, example.net's one slot is free for other mail.
        submit(spool, envelope("alice@localhost", "other@example.net"), message("other", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> transport.deliveries.stream()
                .anyMatch(d -> d.envelope().recipients().get(0).address().toString().equals("other@example.net")));

        release.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.depth() == 0);
        assertThat(transport.deliveries).extracting(d -> d.envelope().recipients().get(0).address().toString())
                .containsExactlyInAnyOrder("stuck@example.org", "later@example.net", "other@example.net");
    }

    @Test
    void theSlotOfAnAttemptThatDeliversNothingIsGivenBack() throws Exception {
        start(settings().withLimits(1 << 20, 8, 1).withDelayNotice(Optional.empty()));
        processors.add(new NamedProcessor("gate", (envelope, message) -> {
            String to = envelope.recipients().get(0).address().localPart();
            return switch (to) {
                case "deferred" -> ProcessingResult.defer("not now");
                case "refused" -> ProcessingResult.refuse("5.7.1", "never");
                case "failing" -> throw new IllegalStateException("stage broken");
                default -> ProcessingResult.proceed();
            };
        }));
        for (String to : List.of("deferred", "refused", "failing", "delivered")) {
            submit(spool, envelope("alice@localhost", to + "@example.org"), message(to, "x"));
            scheduler.runDue();
        }

        assertThat(transport.deliveries).extracting(d -> d.envelope().recipients().get(0).address().toString())
                .containsExactly("delivered@example.org");
    }

    /** The spool's own fsyncs as they are; a Maildir's {@code new/} fsync waits for {@code gate}, or fails while {@code failing}. */
    private static final class MaildirSyncs implements SpoolIo {
        final CountDownLatch gate;
        final AtomicInteger failing = new AtomicInteger();

        MaildirSyncs(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public SpoolFile create(Path file) throws IOException {
            return SpoolIo.SYSTEM.create(file);
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            try {
                assertThat(gate.await(30, TimeUnit.SECONDS)).as("gate opened").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("EIO");
            }
            SpoolIo.SYSTEM.syncDirectory(directory);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            SpoolIo.SYSTEM.move(from, to);
        }
    }

    private void start(Settings settings, SpoolIo maildirIo) throws IOException {
        spool = new FileSpool(settings.spoolDirectory(), settings.maxMessageSize(), SpoolIo.SYSTEM, clock);
        scheduler = new DeliveryScheduler(new FileQueueStore(spool, clock), settings, () -> available, () -> List.copyOf(processors),
                new Maildir(settings.mailboxDirectory(), maildirIo, clock), clock);
    }

    @Test
    void aLocalWorkerWritesTheNextMessageWhileTheMaildirsFsyncRunsAndNoneIsDeliveredBeforeItEnds() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        start(settings().withLocalDeliveryThreads(1), new MaildirSyncs(gate));
        for (int i = 0; i < 3; i++) {
            submit(spool, envelope("alice@example.org", "bob@localhost"), message("local " + i, "x"));
        }
        scheduler.start(Duration.ofMillis(20));

        // One worker wrote all three while the first fsync of new/ was held.
        await().atMost(Duration.ofSeconds(20)).until(() -> maildir("bob@localhost").size() == 3);
        assertThat(spool.entries()).hasSize(3).allSatisfy(entry -> assertThat(entry.snapshot().recipients())
                .extracting(RecipientState::status).containsExactly(Status.PENDING));

        gate.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.depth() == 0);
        assertThat(maildir("bob@localhost")).hasSize(3);
    }

    @Test
    void aMessageForAMaildirAndARelayDoesNotHoldTheRelaysSlotWhileTheMaildirsFsyncRuns() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        start(settings().withLimits(1 << 20, 8, 1), new MaildirSyncs(gate));
        submit(spool, envelope("alice@example.org", "bob@localhost", "carol@example.org"), message("mixed", "x"));
        scheduler.start(Duration.ofMillis(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> maildir("bob@localhost").size() == 1);

        // The mixed message waits for the fsync of bob's new/: the relay's one slot is free for other mail.
        submit(spool, envelope("alice@localhost", "dave@example.org"), message("remote", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> transport.deliveries.size() == 1);
        assertThat(transport.deliveries.get(0).envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("dave@example.org");

        gate.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> spool.depth() == 0);
        assertThat(transport.deliveries).hasSize(2);
    }

    @Test
    void aMaildirWhoseFsyncFailsKeepsTheMessageQueuedWithTheReason() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        MaildirSyncs io = new MaildirSyncs(open);
        io.failing.set(1);
        start(settings(), io);
        submit(spool, envelope("alice@example.org", "bob@localhost"), message("local", "x"));

        scheduler.runDue();

        QueueEntry entry = only();
        assertThat(entry.recipients()).extracting(RecipientState::status).containsExactly(Status.DEFERRED);
        assertThat(entry.waiting()).hasValueSatisfying(waiting -> {
            assertThat(waiting.reason()).isEqualTo(WaitReason.LOCAL_DELIVERY_FAILED);
            assertThat(waiting.detail()).startsWith(DeliveryScheduler.LOCAL_FAILURE).contains("EIO").contains("new");
        });
        assertThat(entry.attempts()).isEqualTo(1);
    }

    @Test
    void aStopRecordsTheLocalDeliveriesWhoseFsyncIsUnderWay() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        start(settings(), new MaildirSyncs(gate));
        submit(spool, envelope("alice@example.org", "bob@localhost"), message("local", "x"));
        scheduler.start(Duration.ofMillis(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> maildir("bob@localhost").size() == 1);

        Thread stopping = new Thread(scheduler::close, "stopping");
        stopping.start();
        gate.countDown();
        stopping.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(stopping.isAlive()).isFalse();
        assertThat(spool.depth()).as("recorded as delivered before the stop ended").isZero();
    }

    /** Holds a transport's answer until the test opens {@code release} (30 s at most). */
    private static void waitFor(CountDownLatch release) {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
