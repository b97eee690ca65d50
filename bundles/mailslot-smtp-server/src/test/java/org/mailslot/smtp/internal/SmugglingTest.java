package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * SMTP smuggling (CVE-2023-51766 and friends): an end-of-data that another server would accept
 * (a dot between bare line endings) must not end DATA here, and the message holding it is refused.
 */
class SmugglingTest extends ListenerTestSupport {

    private static final String SMUGGLED = "MAIL FROM:<ceo@example.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\n"
            + "From: ceo@example.test\r\n\r\nPay the invoice.\r\n";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\n.\\n", "\\n.\\r\\n", "\\r.\\r", "\\r\\n.\\r", "\\r.\\r\\n", "\\n.\\r"})
    void onlyCrLfDotCrLfEndsDataAndTheMessageIsRefused(String escaped) throws Exception {
        String sequence = escaped.replace("\\r", "\r").replace("\\n", "\n");
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<a@peer.example>");
            client.command("RCPT TO:<postmaster@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            client.raw("Subject: innocent\r\n\r\nhello" + sequence + SMUGGLED + "\r\n.\r\n");
            assertThat(client.reply()).isEqualTo("550 5.6.0 Message refused: bare CR or LF found; lines must end with CRLF");
            // The smuggled commands were message text: the next reply answers the next command.
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).isEqualTo("503 5.5.1 Need MAIL before RCPT");
        }
        assertThat(spool.stored).isEmpty();
    }

    @Test
    void aBareLineEndingSpoilsACommandLineWithoutExecutingAnything() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.raw("NOOP\nMAIL FROM:<a@peer.example>\r\n");
            assertThat(client.reply()).isEqualTo("500 5.5.2 Syntax error: bare CR or LF in a command line; only CRLF ends a line");
            client.raw("RSET\rMAIL FROM:<a@peer.example>\r\n");
            assertThat(client.reply()).startsWith("500 5.5.2");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).isEqualTo("503 5.5.1 Need MAIL before RCPT");
        }
    }

    @Test
    void stuffedDotsAreUnstuffed() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            String reply = send(client, "a@peer.example", "postmaster@example.test", "Subject: s\r\n\r\n..\r\n...x\r\n");
            assertThat(reply).startsWith("250 2.0.0");
        }
        assertThat(spool.stored.get(0).text()).endsWith("Subject: s\r\n\r\n.\r\n..x\r\n");
    }
}
