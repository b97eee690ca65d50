package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * STARTTLS command injection (CVE-2011-0411): commands sent in clear in the same packet as
 * STARTTLS must never run as if they had come through TLS, and the session starts over.
 */
class StartTlsInjectionTest extends ListenerTestSupport {

    @Test
    void commandsAfterStartTlsInTheSamePacketAreDiscarded() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.raw("STARTTLS\r\nMAIL FROM:<attacker@peer.example>\r\nRCPT TO:<postmaster@example.test>\r\n");
            assertThat(client.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
            client.upgrade(clientTls());
            // Nothing of the injected commands is answered, and the session starts over: EHLO first.
            assertThat(client.command("MAIL FROM:<a@peer.example>")).isEqualTo("503 5.5.1 Send HELO or EHLO first");
            assertThat(client.command("EHLO peer.example")).startsWith("250-" + HOST).doesNotContain("STARTTLS");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).isEqualTo("503 5.5.1 Need MAIL before RCPT");
        }
    }

    @Test
    void startTlsForgetsAnEarlierLogin() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO client.test");
            client.raw("STARTTLS\r\nAUTH PLAIN " + SmtpClient.b64("\0alice\0s3cret") + "\r\n");
            assertThat(client.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
            client.upgrade(clientTls());
            client.command("EHLO client.test");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Authentication required");
        }
        assertThat(users.lastThread).isNull();
    }
}
