package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.osgi.framework.Constants;

/** The DS component as SCR drives it: constructor, strategy bind and unbind, deactivate. */
class ListenerComponentTest extends ListenerTestSupport {

    @Test
    void followsTheHighestRankedStrategyForItsPort() throws Exception {
        int port = freePort();
        ListenerComponent component = new ListenerComponent(
                Configs.of(ListenerConfig.class, "port", port, "strategy", 587, "hostname", HOST),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~submission", "port", port), tls, authThrottle);
        try {
            assertThat(component.status().name()).isEqualTo("submission");
            assertThat(component.status().state()).isEqualTo(ListenerState.WAITING);

            component.addStrategy(RELAY, Map.of());
            assertThat(component.status().state()).isEqualTo(ListenerState.WAITING);

            PortStrategy custom = PortStrategy.of(587, PortRole.SUBMISSION, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
            component.addStrategy(SUBMISSION, Map.of());
            component.addStrategy(custom, Map.of(Constants.SERVICE_RANKING, 10));
            assertThat(component.status().state()).isEqualTo(ListenerState.BOUND);
            assertThat(component.status().tlsMode()).contains(TlsMode.IMPLICIT);

            component.removeStrategy(custom);
            assertThat(component.status().tlsMode()).contains(TlsMode.STARTTLS_REQUIRED);
            try (SmtpClient client = SmtpClient.connect(component.status().port())) {
                assertThat(client.reply()).startsWith("220 " + HOST);
            }
            component.removeStrategy(SUBMISSION);
            assertThat(component.status().state()).isEqualTo(ListenerState.WAITING);
            assertThat(component.status().tlsMode()).isEqualTo(Optional.empty());
        } finally {
            component.deactivate();
        }
        assertThat(component.status().state()).isEqualTo(ListenerState.CLOSING);
    }

    @Test
    void refusesAConfigurationWithoutPortOrStrategy() {
        assertThatThrownBy(() -> new ListenerComponent(Configs.of(ListenerConfig.class, "strategy", 587),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~x"), tls, authThrottle))
                .hasMessage("listener x: port is required");
        assertThatThrownBy(() -> new ListenerComponent(Configs.of(ListenerConfig.class, "port", 0, "strategy", 25),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~x", "port", 0), tls, authThrottle))
                .as("port = 0 would bind a random port").hasMessage("listener x: port must be between 1 and 65535, not 0");
        assertThatThrownBy(() -> new ListenerComponent(Configs.of(ListenerConfig.class, "port", 10587),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~x", "port", 10587), tls, authThrottle))
                .hasMessageContaining("listener x: strategy must name a port");
        assertThatThrownBy(() -> new ListenerComponent(
                Configs.of(ListenerConfig.class, "port", 10587, "strategy", 587, "sender.binding", "loose"),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~x", "port", 10587), tls, authThrottle))
                .hasMessageContaining("sender.binding");
    }

    @Test
    void timeoutsAndTheStressThresholdAreCheckedAndNamed() {
        Settings defaults = Settings.of("x", Configs.of(ListenerConfig.class, "port", 25, "strategy", 25));
        assertThat(defaults.stressConnections()).as("80 % of 200").isEqualTo(160);
        assertThat(defaults.senderBinding()).isEqualTo(SenderBinding.LOGIN_MUST_MATCH_LOCAL_PART);
        assertThat(Settings.of("x", Configs.of(ListenerConfig.class, "port", 25, "strategy", 25, "max.connections", 3,
                "stress.threshold", 50)).stressConnections()).isEqualTo(2);
        assertThatThrownBy(() -> Settings.of("x", Configs.of(ListenerConfig.class, "port", 25, "strategy", 25,
                "stress.threshold", 101))).hasMessage("listener x: stress.threshold must be a percentage of max.connections"
                        + " between 1 and 100, not 101");
        for (String key : new String[] {"stress.threshold", "data.min.rate"}) {
            assertThatThrownBy(() -> Settings.of("x", Configs.of(ListenerConfig.class, "port", 25, "strategy", 25, key, 0)))
                    .hasMessage("listener x: " + key + " must be at least 1, not 0");
        }
        for (String key : new String[] {"stress.command.timeout", "stress.data.timeout"}) {
            assertThatThrownBy(() -> Settings.of("x", Configs.of(ListenerConfig.class, "port", 25, "strategy", 25, key, 0)))
                    .hasMessage("listener x: " + key + " must be longer than zero, not '0'");
        }
    }

    @Test
    void ioThreadsDefaultToHalfTheProcessorsAndRefuseANegativeCount() {
        Settings defaults = Settings.of("x", Configs.of(ListenerConfig.class, "port", 10587, "strategy", 587));
        assertThat(defaults.ioThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(Settings.of("x", Configs.of(ListenerConfig.class, "port", 10587, "strategy", 587, "io.threads", 3))
                .ioThreads()).isEqualTo(3);
        assertThatThrownBy(() -> Settings.of("x", Configs.of(ListenerConfig.class, "port", 10587, "strategy", 587,
                "io.threads", -1))).hasMessageContaining("io.threads");
    }

    @Test
    void aConfigurationChangeThatMovesTheListenerReleasesTheOldPort() throws Exception {
        int oldPort = freePort();
        int newPort = freePort();
        ListenerComponent before = component("submission", oldPort, 587);
        before.addStrategy(SUBMISSION, Map.of());
        try (SmtpClient client = SmtpClient.connect(oldPort)) {
            assertThat(client.reply()).startsWith("220 " + HOST);
        }
        // What SCR does on an update of the factory configuration: deactivate, then activate anew.
        before.deactivate();
        ListenerComponent after = component("submission", newPort, 587);
        try {
            after.addStrategy(SUBMISSION, Map.of());
            assertThat(after.status()).extracting(ListenerStatus::state, ListenerStatus::port)
                    .containsExactly(ListenerState.BOUND, newPort);
            assertThatThrownBy(() -> SmtpClient.connect(oldPort)).isInstanceOf(ConnectException.class);
            try (SmtpClient client = SmtpClient.connect(newPort)) {
                assertThat(client.reply()).startsWith("220 " + HOST);
            }
        } finally {
            after.deactivate();
        }
        assertThatThrownBy(() -> SmtpClient.connect(newPort)).isInstanceOf(ConnectException.class);
    }

    @Test
    void deletingTheConfigurationLetsAMessageInFlightFinishAndAnswersTheRest421() throws Exception {
        int port = freePort();
        ListenerComponent component = component("relay", port, 25);
        component.submission = spool;
        component.bindSenderAuthenticator(new SenderCheckTest.Verdicts());
        component.addStrategy(RELAY, Map.of());
        try (SmtpClient busy = SmtpClient.connect(port); SmtpClient idle = SmtpClient.connect(port)) {
            busy.reply();
            idle.reply();
            busy.command("EHLO peer.example");
            busy.command("MAIL FROM:<a@peer.example>");
            busy.command("RCPT TO:<postmaster@example.test>");
            assertThat(busy.command("DATA")).startsWith("354");
            busy.raw("Subject: half of it\r\n\r\n");
            await().until(() -> spool.begun.get() == 1);

            CompletableFuture<Void> deleted = CompletableFuture.runAsync(component::deactivate);
            assertThat(idle.reply()).isEqualTo("421 4.3.2 " + HOST + " Service shutting down");
            assertThat(idle.closedByServer()).isTrue();
            await().until(() -> component.status().state() == ListenerState.CLOSING);
            assertThatThrownBy(() -> SmtpClient.connect(port)).as("no new connections while closing")
                    .isInstanceOf(ConnectException.class);
            assertThat(deleted).isNotDone();

            busy.raw("the other half\r\n.\r\n");
            assertThat(busy.reply()).startsWith("250 2.0.0 Ok: queued as M1");
            assertThat(busy.reply()).isEqualTo("421 4.3.2 " + HOST + " Service shutting down");
            assertThat(busy.closedByServer()).isTrue();
            deleted.get(30, TimeUnit.SECONDS);
        }
        assertThat(spool.stored).singleElement().satisfies(stored -> assertThat(stored.text())
                .endsWith("Subject: half of it\r\n\r\nthe other half\r\n"));
    }

    private ListenerComponent component(String name, int port, int strategy) {
        return new ListenerComponent(Configs.of(ListenerConfig.class, "port", port, "strategy", strategy, "hostname", HOST,
                "local.domains", new String[] {"example.test"}, "shutdown.grace", 20),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~" + name, "port", port), tls, authThrottle);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
