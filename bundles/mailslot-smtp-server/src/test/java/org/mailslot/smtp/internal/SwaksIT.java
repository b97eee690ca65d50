package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mailslot.testing.peers.Swaks;

/** swaks, an SMTP client nobody here wrote, against listeners of each type. */
class SwaksIT extends ListenerTestSupport {

    @Test
    void submitsWithStartTlsAndAuthPlainVerifyingTheCertificate() {
        Listener listener = start(SUBMISSION);
        Swaks.Result result = Swaks.command().server("127.0.0.1", listener.boundPort()).helo("client.test")
                .from("alice@example.test").to("carol@elsewhere.example")
                .starttls().verifyWith(caPem).auth("alice", "s3cret", "PLAIN").header("Subject: swaks plain").run();

        assertThat(result.exitCode()).as(result.transcript()).isZero();
        assertThat(result.transcript()).contains("<~  235 2.7.0 Authentication successful").contains("<~  250 2.0.0 Ok: queued as M1");
        assertThat(spool.stored).hasSize(1);
        assertThat(spool.stored.get(0).text()).contains("(authenticated user alice)").contains("Subject: swaks plain");
    }

    @Test
    void submitsWithStartTlsAndAuthLogin() {
        Listener listener = start(SUBMISSION);
        Swaks.Result result = Swaks.command().server("127.0.0.1", listener.boundPort())
                .from("bob@example.test").to("carol@elsewhere.example")
                .starttls().auth("bob@example.test", "pw", "LOGIN").run();

        assertThat(result.exitCode()).as(result.transcript()).isZero();
        assertThat(spool.stored).hasSize(1);
    }

    @Test
    void submitsOverImplicitTls() {
        Listener listener = start(SUBMISSIONS);
        Swaks.Result result = Swaks.command().server("127.0.0.1", listener.boundPort())
                .from("alice@example.test").to("carol@elsewhere.example")
                .tlsOnConnect().verifyWith(caPem).auth("alice", "s3cret", "PLAIN").run();

        assertThat(result.exitCode()).as(result.transcript()).isZero();
        assertThat(spool.stored.get(0).text()).contains("with ESMTPSA");
    }

    @Test
    void deniesRelayingToStrangers() {
        Listener listener = start(RELAY);
        Swaks.Result result = Swaks.command().server("127.0.0.1", listener.boundPort())
                .from("someone@peer.example").to("victim@elsewhere.example").run();

        assertThat(result.exitCode()).as(result.transcript()).isEqualTo(24);
        assertThat(result.transcript()).contains("<** 554 5.7.1 <victim@elsewhere.example>: Relay access denied");
        assertThat(spool.stored).isEmpty();
    }

    @Test
    void neverTakesCredentialsInClear() {
        Listener relay = start(RELAY);
        Swaks.Result onRelay = Swaks.command().server("127.0.0.1", relay.boundPort())
                .from("alice@example.test").to("carol@elsewhere.example").auth("alice", "s3cret", "PLAIN").run();
        assertThat(onRelay.exitCode()).as(onRelay.transcript()).isEqualTo(28);
        assertThat(onRelay.transcript()).doesNotContain("AUTH PLAIN");

        Listener submission = start(SUBMISSION);
        Swaks.Result noTls = Swaks.command().server("127.0.0.1", submission.boundPort())
                .from("alice@example.test").to("carol@elsewhere.example")
                .auth("alice", "s3cret", "PLAIN").run();
        assertThat(noTls.exitCode()).as(noTls.transcript()).isEqualTo(28);
        assertThat(noTls.transcript()).doesNotContain("AUTH PLAIN").doesNotContain("MAIL FROM");
        assertThat(users.lastThread).isNull();
        assertThat(spool.stored).isEmpty();
    }

    @Test
    void refusesAMessageOverTheSizeLimit() {
        Listener listener = start(SUBMISSION, "max.message.size", 4096L);
        Swaks.Result result = Swaks.command().server("127.0.0.1", listener.boundPort())
                .from("alice@example.test").to("carol@elsewhere.example")
                .starttls().auth("alice", "s3cret", "PLAIN").body("z".repeat(70) + "\n" + ("z".repeat(70) + "\n").repeat(100)).run();

        // 26: swaks's "message refused after DATA".
        assertThat(result.exitCode()).as(result.transcript()).isEqualTo(26);
        assertThat(result.transcript()).contains("<~* 552 5.3.4 Message size exceeds the limit of 4096 octets");
        assertThat(spool.stored).isEmpty();
    }
}
