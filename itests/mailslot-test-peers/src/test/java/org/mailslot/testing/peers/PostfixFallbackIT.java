package org.mailslot.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.testing.peers.PostfixPeer.Listener;

/** Postfix with port 587 closed (for fallback tests) and SASL from an auth-only Dovecot. */
class PostfixFallbackIT {

    @Test
    void submissionClosedSubmissionsOpenWithAuthOnlyDovecot(@TempDir Path work) {
        TestCa ca = TestCa.create();
        Path caPem = ca.writeCertificatePem(work.resolve("ca.pem"));
        try (DovecotPeer auth = DovecotPeer.builder().address("127.0.0.6").authOnly().user("relayuser", "pw").start();
             PostfixPeer postfix = PostfixPeer.builder().address("127.0.0.5")
                     .certificate(ca.issueServer("127.0.0.5")).sasl(auth)
                     .closed(Listener.SUBMISSION).closed(Listener.ALTERNATE).port(Listener.RELAY, 2025)
                     .start()) {
            assertThat(auth.imapsPort()).isZero();
            assertThat(Processes.isPortOpen("127.0.0.6", 993)).isFalse();
            assertThat(Processes.isPortOpen("127.0.0.5", 587)).isFalse();
            assertThat(Processes.isPortOpen("127.0.0.5", 2525)).isFalse();
            assertThat(Processes.isPortOpen("127.0.0.5", 2025)).isTrue();

            Swaks.Result result = Swaks.command().server("127.0.0.5", 465).tlsOnConnect().verifyWith(caPem)
                    .auth("relayuser", "pw", "LOGIN").from("relayuser@example.test").to("x@example.test").run();

            assertThat(result.exitCode()).as(result.transcript()).isZero();
            assertThat(postfix.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
            // Exactly one session: waiting for the listeners at start-up made no probe connections.
            assertThat(postfix.awaitDisconnects(465, 1, Duration.ofSeconds(10))).hasSize(1);
            assertThat(postfix.saslLogins(465)).singleElement().asString()
                    .contains("sasl_method=LOGIN, sasl_username=relayuser");
        }
        assertThat(Processes.isPortOpen("127.0.0.5", 465)).isFalse();
        assertThat(Processes.isPortOpen("127.0.0.6", DovecotPeer.DEFAULT_AUTH_PORT)).isFalse();
    }
}
