package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    @Test
    void submitsOnAnAlternatePortOnlyAfterStartTls() {
        Listener listener = start(AlternateListenerTest.ALTERNATE);
        Swaks.Result inClear = Swaks.command().server("127.0.0.1", listener.boundPort())
                .from("alice@example.test").to("carol@elsewhere.example").run();
        assertThat(inClear.exitCode()).as(inClear.transcript()).isEqualTo(23);
        assertThat(inClear.transcript()).contains("<** 530 5.7.0 Must issue a STARTTLS command first");

        Swaks.Result result = Swaks.command().server("127.0.0.1", listener.boundPort())
                .from("alice@example.test").to("carol@elsewhere.example")
                .starttls().verifyWith(caPem).auth("alice", "s3cret", "LOGIN").header("Subject: swaks 2525").run();
        assertThat(result.exitCode()).as(result.transcript()).isZero();
        assertThat(spool.stored).singleElement()
                .satisfies(stored -> assertThat(stored.text()).contains("with ESMTPSA").contains("Subject: swaks 2525"));
    }

    /**
     * SMTP smuggling with a client nobody here wrote: swaks sends the DATA bytes exactly as given
     * ({@code --no-data-fixup}), with an end of data that other servers accept hidden in the message.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\n.\\n", "\\n.\\r\\n", "\\r\\n.\\n", "\\r.\\r\\n"})
    void refusesASmuggledMessageAndNeverSplitsIt(String escaped, @TempDir Path dir) throws Exception {
        String sequence = escaped.replace("\\r", "\r").replace("\\n", "\n");
        Path data = dir.resolve("smuggling.eml");
        // swaks adds the CRLF after the final dot.
        Files.writeString(data, "From: <someone@peer.example>\r\nSubject: innocent\r\n\r\nhello" + sequence
                + "MAIL FROM:<ceo@example.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\n"
                + "From: <ceo@example.test>\r\nSubject: smuggled\r\n\r\nPay the invoice.\r\n.",
                StandardCharsets.US_ASCII);
        Listener listener = start(RELAY);
        Swaks.Result result = Swaks.command().server("127.0.0.1", listener.boundPort())
                .from("someone@peer.example").to("postmaster@example.test")
                .data(data).arg("--no-data-fixup").run();

        // 26: swaks's "message refused after DATA".
        assertThat(result.exitCode()).as(result.transcript()).isEqualTo(26);
        assertThat(result.transcript()).contains("<** 550 5.6.0 Message refused: bare CR or LF found");
        assertThat(spool.stored).as("neither the message nor the smuggled one").isEmpty();
        assertThat(spool.begun.get()).as("one message was begun, and none for the smuggled MAIL").isEqualTo(1);
    }
}
