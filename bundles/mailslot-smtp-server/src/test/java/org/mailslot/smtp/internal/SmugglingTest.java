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

    /**
     * Random messages, sent in random pieces: what is stored is the message with each line's first
     * stuffed dot removed, and a message with a bare CR or LF anywhere is refused, however the
     * octets fall into reads.
     */
    @Test
    void dataIsUnstuffedOrRefusedExactlyWhereverItsReadsBreak() throws Exception {
        java.util.Random random = new java.util.Random(5321);
        // The last two are bare line endings.
        String[] pieces = {"abc", "x", ".", "..", "...y", "", "0123456789".repeat(9), " tab\t", "\r", "\n"};
        java.util.List<String> expected = new java.util.ArrayList<>();
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            for (int round = 0; round < 150; round++) {
                StringBuilder sent = new StringBuilder("Subject: r" + round + "\r\n\r\n");
                StringBuilder stored = new StringBuilder(sent);
                boolean bare = false;
                for (int line = random.nextInt(40); line > 0; line--) {
                    StringBuilder text = new StringBuilder();
                    for (int n = 1 + random.nextInt(3); n > 0; n--) {
                        // Mostly clean lines; now and then one with a bare CR or LF in it.
                        String piece = pieces[random.nextInt(random.nextInt(150) == 0 ? pieces.length : pieces.length - 2)];
                        text.append(piece);
                    }
                    String content = text.toString();
                    bare |= content.indexOf('\r') >= 0 || content.indexOf('\n') >= 0;
                    sent.append(content.startsWith(".") ? "." + content : content).append("\r\n");
                    stored.append(content).append("\r\n");
                }
                String data = sent + ".\r\n";
                assertThat(client.command("MAIL FROM:<a@peer.example>")).startsWith("250");
                assertThat(client.command("RCPT TO:<postmaster@example.test>")).startsWith("250");
                assertThat(client.command("DATA")).startsWith("354");
                for (int at = 0; at < data.length(); ) {
                    int next = Math.min(data.length(), at + 1 + random.nextInt(random.nextBoolean() ? 4 : 400));
                    client.raw(data.substring(at, next));
                    at = next;
                }
                String reply = client.reply();
                if (bare) {
                    assertThat(reply).as(data).startsWith("550 5.6.0");
                } else {
                    assertThat(reply).as(data).startsWith("250 2.0.0");
                    expected.add(stored.toString());
                }
            }
        }
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(spool.stored).extracting(stored -> stored.text().substring(stored.text().indexOf("Subject: ")))
                .containsExactlyElementsOf(expected);
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
