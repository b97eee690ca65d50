package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/** A 465-type listener: TLS from the first byte. */
class ImplicitTlsTest extends ListenerTestSupport {

    @Test
    void speaksSmtpOnlyInsideTls() throws Exception {
        Listener listener = start(SUBMISSIONS);
        try (SmtpClient client = SmtpClient.connectTls(listener.boundPort(), clientTls())) {
            assertThat(client.reply()).isEqualTo("220 " + HOST + " ESMTP Mailslot");
            assertThat(client.command("EHLO client.test")).contains("250 AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(client.command("STARTTLS")).startsWith("503 5.5.1");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(client.authPlain("alice", "s3cret")).startsWith("235");
            assertThat(send(client, "alice@example.test", "bob@example.test", "Subject: 465\r\n\r\nhi\r\n")).startsWith("250 2.0.0");
        }
        assertThat(spool.stored.get(0).text()).contains("with ESMTPSA").contains("(using TLSv1.3");
    }

    @Test
    void neverAnswersInClear() throws Exception {
        Listener listener = start(SUBMISSIONS);
        try (SmtpClient client = SmtpClient.connect(listener.boundPort())) {
            client.raw("EHLO client.test\r\n");
            String answer;
            try {
                answer = client.reply();
            } catch (IOException e) {
                answer = "";
            }
            assertThat(answer).doesNotStartWith("220").doesNotStartWith("250");
        }
    }
}
