package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;

/** A 2525-type listener (alternate submission): STARTTLS required before AUTH or MAIL, AUTH required. */
class AlternateListenerTest extends ListenerTestSupport {

    static final PortStrategy ALTERNATE = PortStrategy.of(2525, PortRole.ALTERNATE, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);

    @Test
    void offersOnlyStartTlsInClearAndRefusesAuthAndMailBeforeIt() throws Exception {
        Listener listener = start(ALTERNATE);
        try (SmtpClient client = connect(listener)) {
            String ehlo = client.command("EHLO client.test");
            assertThat(ehlo).endsWith("250 STARTTLS").doesNotContain("AUTH");
            assertThat(client.authPlain("alice", "s3cret")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(client.command("AUTH LOGIN")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).isEqualTo("503 5.5.1 Need MAIL before RCPT");
        }
        assertThat(users.lastThread).as("no credentials were checked").isNull();
        assertThat(spool.stored).isEmpty();
    }

    @Test
    void requiresAuthAfterTlsAndThenAcceptsMail() throws Exception {
        Listener listener = start(ALTERNATE);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO client.test");
            assertThat(client.startTls(clientTls())).isEqualTo("220 2.0.0 Ready to start TLS");
            assertThat(client.command("EHLO client.test")).endsWith("250 AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(client.authPlain("alice", "s3cret")).isEqualTo("235 2.7.0 Authentication successful");
            assertThat(send(client, "alice@example.test", "carol@elsewhere.example", "Subject: via 2525\r\n\r\nhi\r\n"))
                    .startsWith("250 2.0.0 Ok: queued as ");
        }
        assertThat(spool.stored).singleElement().satisfies(stored -> assertThat(stored.text())
                .contains(" with ESMTPSA id ").contains("(authenticated user alice)").contains("Subject: via 2525"));
    }

    @Test
    void dropsCommandsPipelinedBehindStartTlsInClear() throws Exception {
        Listener listener = start(ALTERNATE);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO client.test");
            client.raw("STARTTLS\r\nAUTH PLAIN " + SmtpClient.b64("\0alice\0s3cret") + "\r\n");
            assertThat(client.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
            client.upgrade(clientTls());
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("503 5.5.1 Send HELO or EHLO first");
        }
        assertThat(users.lastThread).isNull();
    }
}
