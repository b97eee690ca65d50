package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.files;
import static org.mailslot.spool.internal.Fixtures.message;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.spool.internal.Fixtures.FakeTransport;
import org.mailslot.testing.peers.MutableClock;

class SpoolComponentTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private SpoolComponent component;
    /** The file store of a component made as Declarative Services makes it. */
    private FileQueueStore store;

    @AfterEach
    void stop() {
        if (component != null) {
            component.deactivate();
        }
        if (store != null) {
            store.close();
        }
    }

    private SpoolComponent component(Duration poll) throws Exception {
        component = new SpoolComponent(Settings.defaults(dir.resolve("spool"), dir.resolve("mailboxes")), SpoolIo.SYSTEM, clock,
                poll);
        return component;
    }

    @Test
    void listsHoldsReleasesFlushesAndDeletes() throws Exception {
        SpoolComponent queue = component(null);
        FakeTransport transport = new FakeTransport();
        transport.answer = (rcpt, route) -> FakeTransport.temporary(rcpt);
        queue.bindTransport(transport);
        SubmissionReceipt held = submit(queue, envelope("alice@localhost", "bob@example.org"), message("held", "x"));
        SubmissionReceipt retried = submit(queue, envelope("alice@localhost", "carol@example.org"), message("retried", "x"));
        SubmissionReceipt deleted = submit(queue, envelope("alice@localhost", "dave@example.org"), message("deleted", "x"));

        assertThat(queue.hold(held.id())).isTrue();
        queue.scheduler().runDue();
        assertThat(queue.depth()).isEqualTo(3);
        QueueEntry heldEntry = queue.entry(held.id()).orElseThrow();
        assertThat(heldEntry.held()).isTrue();
        assertThat(heldEntry.attempts()).isZero();
        assertThat(heldEntry.nextAttempt()).isEmpty();
        QueueEntry retriedEntry = queue.entry(retried.id()).orElseThrow();
        assertThat(retriedEntry.attempts()).isEqualTo(1);
        assertThat(retriedEntry.nextAttempt()).contains(T0.plus(Duration.ofMinutes(5)));
        assertThat(queue.list()).extracting(QueueEntry::id).containsExactly(held.id(), retried.id(), deleted.id());

        assertThat(queue.delete(deleted.id())).isTrue();
        assertThat(queue.delete(deleted.id())).isFalse();
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(files(dir.resolve("spool/queue"))).noneMatch(p -> p.getFileName().toString().startsWith(deleted.id()));

        transport.answer = (rcpt, route) -> FakeTransport.accepted(rcpt);
        assertThat(queue.flush()).isEqualTo(1);
        queue.scheduler().runDue();
        assertThat(queue.list()).extracting(QueueEntry::id).containsExactly(held.id());

        assertThat(queue.release(held.id())).isTrue();
        queue.scheduler().runDue();
        assertThat(queue.depth()).isZero();
        assertThat(queue.hold("nonexistent")).isFalse();
        assertThat(queue.release("nonexistent")).isFalse();
    }

    @Test
    void flushesOneMessageAndShowsItsOctets() throws Exception {
        SpoolComponent queue = component(null);
        FakeTransport transport = new FakeTransport();
        transport.answer = (rcpt, route) -> FakeTransport.temporary(rcpt);
        queue.bindTransport(transport);
        SubmissionReceipt first = submit(queue, envelope("alice@localhost", "bob@example.org"), message("first", "x"));
        SubmissionReceipt second = submit(queue, envelope("alice@localhost", "carol@example.org"), message("second", "x"));
        SubmissionReceipt held = submit(queue, envelope("alice@localhost", "dave@example.org"), message("held", "x"));
        queue.hold(held.id());
        queue.scheduler().runDue();

        assertThat(new String(queue.content(first.id()).orElseThrow().open().readAllBytes(), StandardCharsets.UTF_8))
                .contains("Subject: first");
        assertThat(queue.content("nonexistent")).isEmpty();

        transport.answer = (rcpt, route) -> FakeTransport.accepted(rcpt);
        assertThat(queue.flush(first.id())).isTrue();
        assertThat(queue.flush(held.id())).isTrue();
        assertThat(queue.flush("nonexistent")).isFalse();
        queue.scheduler().runDue();

        assertThat(queue.list()).extracting(QueueEntry::id).containsExactly(second.id(), held.id());
        assertThat(queue.entry(second.id()).orElseThrow().nextAttempt()).contains(T0.plus(Duration.ofMinutes(5)));
        assertThat(queue.entry(held.id()).orElseThrow().held()).isTrue();
    }

    @Test
    void spoolAndMailboxesAreTheOwnersAloneAsInPostfixsQueue() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("mailboxes"));
        java.nio.file.Files.setPosixFilePermissions(dir.resolve("mailboxes"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        SpoolComponent spool = component(null);
        submit(spool, envelope("alice@localhost", "bob@example.org"), message("queued", "x"));
        submit(spool, envelope("alice@localhost", "carol@localhost"), message("delivered", "x"));
        spool.scheduler().runDue();

        List<Path> everything;
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            everything = walk.filter(path -> !path.equals(dir)).toList();
        }
        assertThat(everything).map(path -> dir.relativize(path).toString())
                .anySatisfy(path -> assertThat(path).startsWith("spool/queue/"))
                .anySatisfy(path -> assertThat(path).startsWith("mailboxes/carol@localhost/new/"));
        for (Path path : everything) {
            String mode = java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(path));
            assertThat(mode).as(dir.relativize(path).toString())
                    .isEqualTo(java.nio.file.Files.isDirectory(path) ? "rwx------" : "rw-------");
        }
    }

    @Test
    void aHoldSurvivesARestart() throws Exception {
        SpoolComponent first = component(null);
        String id = submit(first, envelope("alice@localhost", "bob@example.org"), message("held", "x")).id();
        first.hold(id);
        first.deactivate();

        component = component(null);
        assertThat(component.entry(id).orElseThrow().held()).isTrue();
    }

    @Test
    void deliversInTheBackgroundAndProcessorsFollowServiceRanking() throws Exception {
        SpoolComponent spool = component(Duration.ofMillis(50));
        FakeTransport transport = new FakeTransport();
        spool.bindProcessor((envelope, message) -> ProcessingResult.defer("low"), Map.of("service.ranking", -10, "service.id", 1L));
        spool.bindProcessor((envelope, message) -> ProcessingResult.defer("high"),
                Map.of("service.ranking", 10, "service.id", 2L, "mailslot.processor.name", "policy"));
        String id = submit(spool, envelope("alice@localhost", "bob@example.org"), message("bg", "x")).id();

        await().atMost(Duration.ofSeconds(10)).until(() -> spool.entry(id).orElseThrow().lastError().isPresent());
        assertThat(spool.entry(id).orElseThrow().lastError()).contains("high");

        spool.unbindProcessor(null, Map.of("service.ranking", 10, "service.id", 2L));
        spool.unbindProcessor(null, Map.of("service.ranking", -10, "service.id", 1L));
        spool.bindTransport(transport);
        spool.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> spool.depth() == 0);
        assertThat(transport.deliveries).hasSize(1);
    }

    @Test
    void readsItsConfiguration() {
        Settings settings = Settings.from(new DeliveryConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DeliveryConfig.class;
            }

            @Override
            public String spool_directory() {
                return "";
            }

            @Override
            public String mailbox_directory() {
                return "/srv/mail";
            }

            @Override
            public String[] local_domains() {
                return new String[] {"Example.ORG ", "localhost"};
            }

            @Override
            public long max_message_size() {
                return 1000;
            }

            @Override
            public String retry_initial() {
                return "PT30S";
            }

            @Override
            public String retry_max() {
                return "2h";
            }

            @Override
            public String retry_giveup() {
                return "3d";
            }

            @Override
            public int delivery_threads() {
                return 4;
            }

            @Override
            public int per_destination() {
                return 1;
            }

            @Override
            public String reporting_mta() {
                return "mx.example.org";
            }

            @Override
            public String[] pipeline_required() {
                return new String[] {"crypto-policy, dkim ", "crypto-policy"};
            }

            @Override
            public String delay_notice() {
                return "12h";
            }

            @Override
            public int local_delivery_threads() {
                return 3;
            }

            @Override
            public String[] local_recipients() {
                return new String[] {"jaas:karaf, Bob@localhost", "*@lists.example.org"};
            }

            @Override
            public long mailbox_size_limit() {
                return 5000;
            }

            @Override
            public String lease_time() {
                return "20m";
            }
        }, "/opt/karaf/data");

        assertThat(settings.spoolDirectory()).isEqualTo(Path.of("/opt/karaf/data/mailslot/spool"));
        assertThat(settings.mailboxDirectory()).isEqualTo(Path.of("/srv/mail"));
        assertThat(settings.localDomains()).containsExactlyInAnyOrder("example.org", "localhost");
        assertThat(settings.isLocal("EXAMPLE.org")).isTrue();
        assertThat(settings.retryInitial()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.giveUp()).isEqualTo(Duration.ofDays(3));
        assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.backoff(3)).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.backoff(100)).isEqualTo(Duration.ofHours(2));
        assertThat(settings.reportingMta()).isEqualTo("mx.example.org");
        assertThat(settings.requiredStages()).containsExactly("crypto-policy", "dkim");
        assertThat(settings.delayNotice()).contains(Duration.ofHours(12));
        assertThat(settings.localDeliveryThreads()).isEqualTo(3);
        assertThat(settings.localRecipients().realms()).containsExactly("karaf");
        assertThat(settings.localRecipients().listed("bob@localhost")).isTrue();
        assertThat(settings.localRecipients().listed("anyone@lists.example.org")).isTrue();
        assertThat(settings.localRecipients().listed("alice@localhost")).isFalse();
        assertThat(settings.mailboxSizeLimit()).isEqualTo(5000);
        assertThat(settings.leaseTime()).isEqualTo(Duration.ofMinutes(20));
        assertThat(settingsOf(Map.of()).leaseTime()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> settingsOf(Map.of("lease.time", "0s"))).hasMessageContaining("lease.time");
    }

    @Test
    void withoutConfigurationTheCryptoPolicyIsRequiredAndNoneIsSaidExplicitly() {
        assertThat(settingsOf(Map.of()).requiredStages()).containsExactly("crypto-policy");
        assertThat(settingsOf(Map.of("pipeline.required", "none")).requiredStages()).isEmpty();
        assertThat(settingsOf(Map.of("pipeline.required", "crypto-policy dkim")).requiredStages())
                .containsExactly("crypto-policy", "dkim");
        assertThatThrownBy(() -> settingsOf(Map.of("pipeline.required", "")))
                .hasMessage("pipeline.required is empty: name the required stages, or none to require no stage");
    }

    private static Settings settingsOf(Map<String, Object> properties) {
        return Settings.from(org.mailslot.testing.peers.ComponentConfig.of(DeliveryConfig.class, properties), "/opt/karaf/data");
    }

    @Test
    void aSpoolStartedWithoutConfigurationHoldsMailWhileTheCryptoPolicyIsMissing() throws Exception {
        // As feature:install mailslot leaves it in a Karaf without the distribution's etc/: no delivery configuration.
        DeliveryConfig config = org.mailslot.testing.peers.ComponentConfig.of(DeliveryConfig.class, Map.of(
                "spool.directory", dir.resolve("spool").toString(), "mailbox.directory", dir.resolve("mailboxes").toString()));
        store = new FileQueueStore(config);
        component = new SpoolComponent(config, store);
        FakeTransport transport = new FakeTransport();
        component.bindTransport(transport);
        String id = submit(component, envelope("alice@localhost", "bob@example.org"), message("held", "x")).id();

        await().atMost(Duration.ofSeconds(10)).until(() -> component.entry(id).orElseThrow().lastError().isPresent());
        assertThat(component.entry(id).orElseThrow().lastError())
                .contains("waiting for the required pipeline stage crypto-policy (is its bundle started?)");
        assertThat(transport.deliveries).isEmpty();
        assertThat(component.entry(id).orElseThrow().attempts()).isZero();
    }

    @Test
    void localDomainsFromACfgFileAreOneCommaSeparatedString() {
        // File Install hands "local.domains = localhost, example.org" over as one string.
        Settings settings = Settings.from(org.mailslot.testing.peers.ComponentConfig.of(DeliveryConfig.class,
                java.util.Map.of("local.domains", "localhost, Example.org")), "/opt/karaf/data");

        assertThat(settings.localDomains()).containsExactlyInAnyOrder("localhost", "example.org");
    }

    @Test
    void localDomainsSeparatedByWhiteSpaceAreTwoDomainsNotOne() {
        Settings settings = Settings.from(org.mailslot.testing.peers.ComponentConfig.of(DeliveryConfig.class,
                java.util.Map.of("local.domains", "a.example b.example")), "/opt/karaf/data");

        assertThat(settings.localDomains()).containsExactlyInAnyOrder("a.example", "b.example");
    }

    @Test
    void durationsAreWrittenAsEveryOtherPidWritesThem() {
        Settings settings = Settings.from(org.mailslot.testing.peers.ComponentConfig.of(DeliveryConfig.class,
                java.util.Map.of("retry.initial", "300", "retry.max", "2h", "retry.giveup", "PT120H", "delay.notice", "90m")),
                "/opt/karaf/data");

        assertThat(settings.retryInitial()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.retryMax()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.giveUp()).isEqualTo(Duration.ofDays(5));
        assertThat(settings.delayNotice()).contains(Duration.ofMinutes(90));
        assertThatThrownBy(() -> Settings.from(org.mailslot.testing.peers.ComponentConfig.of(DeliveryConfig.class,
                java.util.Map.of("retry.initial", "5 minutes")), "/opt/karaf/data"))
                .hasMessage("retry.initial must be a duration such as 30 (seconds), 500ms, 30s, 5m, 1h, 2d or PT5M,"
                        + " not '5 minutes'");
    }

    @Test
    void tellsTheListenersWhichDomainsItDeliversLocally() throws Exception {
        DeliveryConfig config = org.mailslot.testing.peers.ComponentConfig.of(DeliveryConfig.class,
                java.util.Map.of("spool.directory", dir.resolve("spool").toString(), "mailbox.directory",
                        dir.resolve("mailboxes").toString(), "local.domains", "localhost, Example.org"));
        store = new FileQueueStore(config);
        SpoolComponent spool = new SpoolComponent(config, store);
        try {
            MailSubmission submission = spool;
            assertThat(submission.localDomains()).containsExactlyInAnyOrder("localhost", "example.org");
        } finally {
            spool.deactivate();
        }
    }
}
