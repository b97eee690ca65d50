package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.mailslot.testing.peers.MutableClock;
import org.osgi.framework.Constants;

/** Failed AUTH attempts counted per client address across connections, over time. */
class AuthThrottleTest extends ListenerTestSupport {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final AuthThrottle throttle = new AuthThrottle(3, Duration.ofMinutes(10), Duration.ofMinutes(15), clock);

    @Test
    void blocksAnAddressAfterTheLimitWithinTheWindowAndForTheBlockTimeOnly() throws Exception {
        InetAddress guesser = InetAddress.getByName("192.0.2.7");
        InetAddress neighbour = InetAddress.getByName("192.0.2.8");
        throttle.failed(guesser);
        clock.advance(Duration.ofMinutes(4));
        throttle.failed(guesser);
        assertThat(throttle.blocked(guesser)).isFalse();
        clock.advance(Duration.ofMinutes(4));
        throttle.failed(guesser);
        assertThat(throttle.blocked(guesser)).isTrue();
        assertThat(throttle.blocked(neighbour)).isFalse();

        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(throttle.blocked(guesser)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.blocked(guesser)).isFalse();
        // The block used up the failures that caused it.
        throttle.failed(guesser);
        assertThat(throttle.blocked(guesser)).isFalse();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() throws Exception {
        InetAddress client = InetAddress.getByName("198.51.100.1");
        throttle.failed(client);
        throttle.failed(client);
        clock.advance(Duration.ofMinutes(10));
        throttle.failed(client);
        assertThat(throttle.blocked(client)).isFalse();
        throttle.failed(client);
        throttle.failed(client);
        assertThat(throttle.blocked(client)).isTrue();
    }

    @Test
    void countsAnIpv6ClientByItsSlash64() throws Exception {
        throttle.failed(InetAddress.getByName("2001:db8:1:2::1"));
        throttle.failed(InetAddress.getByName("2001:db8:1:2::2"));
        throttle.failed(InetAddress.getByName("2001:db8:1:2:ffff::3"));
        assertThat(throttle.blocked(InetAddress.getByName("2001:db8:1:2::99"))).isTrue();
        assertThat(throttle.blocked(InetAddress.getByName("2001:db8:1:3::1"))).isFalse();
    }

    @Test
    void reconnectingDoesNotResetTheCountAndABlockedAddressCannotLogInEvenWithTheRightPassword() throws Exception {
        authThrottle = new AuthThrottle(3, Duration.ofMinutes(15), Duration.ofMinutes(15), java.time.Clock.systemUTC());
        Listener listener = start(SUBMISSION, "max.auth.failures", 2);
        try (SmtpClient first = tlsSession(listener)) {
            assertThat(first.authPlain("alice", "guess1")).startsWith("535 5.7.8");
            assertThat(first.authPlain("alice", "guess2")).startsWith("535 5.7.8");
            assertThat(first.reply()).startsWith("421 4.7.0");
        }
        try (SmtpClient second = tlsSession(listener)) {
            assertThat(second.authPlain("alice", "guess3")).startsWith("535 5.7.8");
            users.lastThread = null;
            assertThat(second.authPlain("alice", "s3cret"))
                    .isEqualTo("454 4.7.0 Too many failed authentication attempts from your address; try again later");
            assertThat(second.command("AUTH LOGIN")).startsWith("454 4.7.0");
            assertThat(second.command("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Authentication required");
        }
        try (SmtpClient third = tlsSession(listener)) {
            assertThat(third.authPlain("alice", "s3cret")).startsWith("454 4.7.0");
        }
        assertThat(users.lastThread).as("the password of a blocked address is never checked").isNull();
    }

    @Test
    void failuresCountOverEveryListenerAndEachIsLoggedWithoutThePassword() throws Exception {
        authThrottle = new AuthThrottle(3, Duration.ofMinutes(15), Duration.ofMinutes(15), java.time.Clock.systemUTC());
        Listener submission = start(SUBMISSION);
        Listener relay = start(RELAY);
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            try (SmtpClient first = tlsSession(submission)) {
                assertThat(first.authPlain("alice", "Guess-One")).startsWith("535 5.7.8");
                assertThat(first.authPlain("mallory", "Guess-Two")).startsWith("535 5.7.8");
            }
            // Another port does not buy fresh attempts.
            try (SmtpClient second = tlsSession(relay)) {
                assertThat(second.authPlain("alice", "Guess-Three")).startsWith("535 5.7.8");
                assertThat(second.authPlain("alice", "s3cret")).startsWith("454 4.7.0");
            }
            try (SmtpClient third = tlsSession(submission)) {
                assertThat(third.authPlain("alice", "s3cret")).startsWith("454 4.7.0");
            }
        } finally {
            System.setErr(stderr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("SMTP AUTH failed on listener test for user alice from 127.0.0.1")
                .contains("SMTP AUTH failed on listener test for user mallory from 127.0.0.1")
                .doesNotContain("Guess-").doesNotContain("s3cret");
        assertThat(logged.lines().filter(line -> line.contains("SMTP AUTH failed"))).hasSize(3);
    }

    @Test
    void refusesABadThrottleConfigurationAndTheOldListenerProperties() {
        assertThatThrownBy(() -> new AuthThrottle(Configs.of(AuthThrottle.Config.class, "failures", 0)))
                .hasMessage("org.mailslot.auth.throttle: failures must be at least 1, not 0");
        assertThatThrownBy(() -> new ListenerComponent(Configs.of(ListenerConfig.class, "port", 10587, "strategy", 587),
                Map.of(Constants.SERVICE_PID, "org.mailslot.listener~x", "port", 10587, "auth.throttle.failures", 3),
                tls, authThrottle))
                .hasMessage("listener x: auth.throttle.failures is no longer a listener property;"
                        + " set failures in org.mailslot.auth.throttle");
    }

    private static SmtpClient tlsSession(Listener listener) throws Exception {
        SmtpClient client = connect(listener);
        client.command("EHLO client.test");
        client.startTls(clientTls());
        client.command("EHLO client.test");
        return client;
    }
}
