package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;

/** A 25-type listener: STARTTLS offered, AUTH optional and only over TLS, relaying restricted. */
class RelayListenerTest extends ListenerTestSupport {

    @Test
    void deniesRelayingForClientsThatHaveNotAuthenticated() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(client.command("MAIL FROM:<someone@peer.example>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<victim@elsewhere.example>"))
                    .isEqualTo("554 5.7.1 <victim@elsewhere.example>: Relay access denied");
            assertThat(client.command("RCPT TO:<postmaster@EXAMPLE.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: in\r\n\r\nfor you\r\n.")).isEqualTo("250 2.0.0 Ok: queued as M1");
        }
        assertThat(spool.stored.get(0).envelope().recipients()).hasSize(1);
        assertThat(spool.stored.get(0).text()).startsWith("Received: from peer.example ([127.0.0.1])\r\n\tby "
                + HOST + " (Mailslot) with ESMTP id ").doesNotContain("using").doesNotContain("authenticated");
    }

    @Test
    void withoutLocalDomainsOfItsOwnItAcceptsFromAnyoneWhatTheDeliveryKeepsLocal() throws Exception {
        spool.localDomains = Set.of("example.test");
        Listener listener = start(RELAY, "local.domains", null);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(client.command("MAIL FROM:<someone@peer.example>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("RCPT TO:<root@localhost>")).isEqualTo("554 5.7.1 <root@localhost>: Relay access denied");
            // One list: a change of the delivery's local domains is the listener's at once.
            spool.localDomains = Set.of("example.test", "localhost");
            assertThat(client.command("RCPT TO:<root@localhost>")).isEqualTo("250 2.1.5 Ok");
            submission = null;
            assertThat(client.command("RCPT TO:<abuse@example.test>")).as("no spool, no local domains: fail closed")
                    .isEqualTo("554 5.7.1 <abuse@example.test>: Relay access denied");
        }
    }

    @Test
    void neitherOffersNorAcceptsAuthBeforeTls() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("EHLO peer.example")).contains("250 STARTTLS").doesNotContain("AUTH");
            assertThat(client.authPlain("alice", "s3cret")).isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
        }
        assertThat(users.lastThread).isNull();
    }

    @Test
    void letsAuthenticatedClientsRelay() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = authenticated(listener)) {
            assertThat(send(client, "alice@example.test", "friend@elsewhere.example", "Subject: out\r\n\r\nhi\r\n"))
                    .startsWith("250 2.0.0 Ok: queued as ");
        }
    }

    @Test
    void bindsAnAuthenticatedSenderToItsLoginUnlessToldNotTo() throws Exception {
        // Configured as the README shows a relay listener: sender.binding not written.
        Listener listener = start(RELAY);
        try (SmtpClient client = authenticated(listener)) {
            assertThat(client.command("MAIL FROM:<ceo@example.test>"))
                    .isEqualTo("553 5.7.1 Sender address rejected: not owned by user alice");
            assertThat(client.command("MAIL FROM:<alice@anybank.example>")).startsWith("553 5.7.1");
            assertThat(send(client, "alice@example.test", "friend@elsewhere.example", "Subject: mine\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(spool.stored).singleElement().satisfies(stored -> assertThat(stored.envelope().authenticatedSender())
                .contains(MailAddress.parse("alice@example.test")));
        Listener unbound = start(RELAY, "sender.binding", "none");
        try (SmtpClient client = authenticated(unbound)) {
            assertThat(client.command("MAIL FROM:<ceo@example.test>")).isEqualTo("250 2.1.0 Ok");
        }
    }

    @Test
    void offersAndTakesRequireTlsOnlyUnderTls() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("EHLO peer.example")).doesNotContain("REQUIRETLS");
            assertThat(client.command("MAIL FROM:<someone@peer.example> REQUIRETLS"))
                    .isEqualTo("530 5.7.10 REQUIRETLS needs a TLS session: issue STARTTLS first");
            assertThat(client.startTls(clientTls())).startsWith("220 2.0.0");
            assertThat(client.command("EHLO peer.example")).contains("250-REQUIRETLS");
            assertThat(client.command("MAIL FROM:<someone@peer.example> REQUIRETLS=yes"))
                    .startsWith("501 5.5.4 Bad MAIL parameter REQUIRETLS");
            assertThat(client.command("MAIL FROM:<someone@peer.example> REQUIRETLS")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: sealed\r\n\r\nx\r\n.")).startsWith("250 2.0.0");
            assertThat(client.command("MAIL FROM:<someone@peer.example>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: open\r\n\r\nx\r\n.")).startsWith("250 2.0.0");
        }
        assertThat(spool.stored).extracting(stored -> stored.envelope().requireTls()).containsExactly(true, false);
    }

    @Test
    void acceptsPostmasterWithoutADomainForTheLocalPostmaster() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<someone@peer.example>");
            // RFC 5321 section 4.5.1: every host must accept it, from anyone.
            assertThat(client.command("RCPT TO:<Postmaster>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: hello\r\n\r\nx\r\n.")).startsWith("250 2.0.0");
        }
        assertThat(spool.stored).singleElement().satisfies(stored -> assertThat(stored.envelope().recipients())
                .extracting(recipient -> recipient.address().toString()).containsExactly("postmaster@example.test"));
    }

    @Test
    void aQuotedLocalPartThatNeedsNoQuotesIsTheSameMailbox() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<\"someone\"@peer.example>");
            assertThat(client.command("RCPT TO:<\"bob\"@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("RCPT TO:<bob@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("RCPT TO:<\"b\\ob\"@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: once\r\n\r\nx\r\n.")).startsWith("250 2.0.0");
        }
        assertThat(spool.stored).singleElement().satisfies(stored -> {
            assertThat(stored.envelope().reversePath()).contains(MailAddress.parse("someone@peer.example"));
            assertThat(stored.envelope().recipients()).extracting(recipient -> recipient.address().toString())
                    .containsExactly("bob@example.test");
        });
    }

    @Test
    void refusesAddressesThatAreNotUtf8() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            // An invalid sequence, a lone continuation octet, an overlong '/': none is U+FFFD or anything else.
            assertThat(command(client, "MAIL FROM:<j\u00c3\u0028rg@peer.example> SMTPUTF8"))
                    .isEqualTo("553 5.1.7 Bad sender address syntax: bad UTF-8 syntax");
            assertThat(client.command("MAIL FROM:<j\u00f6rg@peer.example> SMTPUTF8")).isEqualTo("250 2.1.0 Ok");
            assertThat(command(client, "RCPT TO:<b\u00bfb@example.test>"))
                    .isEqualTo("501 5.1.3 Bad recipient address syntax: bad UTF-8 syntax");
            assertThat(command(client, "RCPT TO:<b\u00c0\u00afb@example.test>"))
                    .isEqualTo("501 5.1.3 Bad recipient address syntax: bad UTF-8 syntax");
            assertThat(command(client, "EHLO \u00ff")).isEqualTo("500 5.5.2 Error: bad UTF-8 syntax");
            assertThat(client.command("RCPT TO:<j\u00f6rg@example.test>")).isEqualTo("250 2.1.5 Ok");
        }
    }

    /** Sends a command line whose characters below U+0100 are its octets, as they are, UTF-8 or not. */
    private static String command(SmtpClient client, String octets) throws java.io.IOException {
        client.raw((octets + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return client.reply();
    }

    @Test
    void refusesMalformedSizeParameters() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            for (String size : new String[] {"-1", "", "+10", "1e3", "0x10", "ten"}) {
                assertThat(client.command("MAIL FROM:<a@peer.example> SIZE=" + size)).as("SIZE=" + size)
                        .isEqualTo("501 5.5.4 Bad MAIL parameter SIZE: the size must be a number of octets");
            }
            assertThat(client.command("MAIL FROM:<a@peer.example> SIZE=99999999999999999999999"))
                    .startsWith("552 5.3.4");
            assertThat(client.command("MAIL FROM:<a@peer.example> SIZE=0")).isEqualTo("250 2.1.0 Ok");
        }
    }

    @Test
    void acceptsAMessageOfExactlyTheAdvertisedSize() throws Exception {
        Listener listener = start(RELAY, "max.message.size", 2048L);
        String header = "Subject: exactly 2048\r\n\r\n";
        String exact = header + "x".repeat(2048 - header.length() - 2) + "\r\n";
        assertThat(exact).hasSize(2048);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(client.command("MAIL FROM:<a@peer.example> SIZE=2048")).isEqualTo("250 2.1.0 Ok");
            client.command("RCPT TO:<postmaster@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            client.raw(exact + ".\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0");
            assertThat(send(client, "a@peer.example", "postmaster@example.test", "y" + exact))
                    .isEqualTo("552 5.3.4 Message size exceeds the limit of 2048 octets");
        }
        assertThat(spool.stored).singleElement().satisfies(stored -> assertThat(stored.text()).endsWith(exact));
    }

    @Test
    void refusesStartTlsInsideATransaction() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<a@peer.example>");
            assertThat(client.command("STARTTLS")).isEqualTo("503 5.5.1 STARTTLS is not allowed inside a mail transaction");
            assertThat(client.command("RSET")).isEqualTo("250 2.0.0 Ok");
            assertThat(client.startTls(clientTls())).isEqualTo("220 2.0.0 Ready to start TLS");
            assertThat(client.command("EHLO peer.example")).contains("250 AUTH PLAIN LOGIN");
        }
    }

    @Test
    void givesNothingAwayAndAnswersTheSmallCommands() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("MAIL FROM:<a@peer.example>")).isEqualTo("503 5.5.1 Send HELO or EHLO first");
            assertThat(client.command("HELO peer.example")).isEqualTo("250 " + HOST);
            assertThat(client.command("VRFY postmaster")).startsWith("252 2.5.0");
            assertThat(client.command("EXPN staff")).isEqualTo("502 5.5.1 EXPN is not supported");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
            assertThat(client.command("XYZZY")).isEqualTo("500 5.5.2 Command not recognized");
            assertThat(client.command("RCPT TO:<postmaster@example.test>")).isEqualTo("503 5.5.1 Need MAIL before RCPT");
            assertThat(client.command("DATA")).isEqualTo("503 5.5.1 Need MAIL before DATA");
            assertThat(client.command("MAIL FROM:<a@peer.example>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("DATA")).isEqualTo("554 5.5.1 No valid recipients");
            assertThat(client.command("MAIL FROM:<a@peer.example>")).isEqualTo("503 5.5.1 Nested MAIL command");
            assertThat(client.command("RSET")).isEqualTo("250 2.0.0 Ok");
            assertThat(client.command("QUIT")).isEqualTo("221 2.0.0 " + HOST + " Bye");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void checksEveryAddress() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(client.command("MAIL FROM:<a b@peer.example>")).startsWith("553 5.1.7 Bad sender address syntax");
            assertThat(client.command("MAIL FROM:a@peer.example")).startsWith("501 5.5.4");
            assertThat(client.command("MAIL FROM:<a@peer.example> FOO=BAR")).startsWith("555 5.5.4");
            assertThat(client.command("MAIL FROM:<jörg@peer.example>")).isEqualTo("553 5.6.7 The sender address needs SMTPUTF8");
            assertThat(client.command("MAIL FROM:<@relay.example:a@peer.example>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<postmaster@@example.test>")).startsWith("501 5.1.3 Bad recipient address syntax");
            assertThat(client.command("RCPT TO:<müller@example.test>")).isEqualTo("553 5.6.7 The recipient address needs SMTPUTF8");
            assertThat(client.command("RCPT TO:<postmaster@example.test> NOTIFY=SOMETIMES")).startsWith("501 5.5.4");
            assertThat(client.command("RCPT TO:<postmaster@example.test> NOTIFY=NEVER,SUCCESS")).startsWith("501 5.5.4");
            assertThat(client.command("RSET")).startsWith("250");
            assertThat(client.command("MAIL FROM:<jörg@peer.example> SMTPUTF8")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<müller@example.test>")).isEqualTo("250 2.1.5 Ok");
        }
    }

    @Test
    void answersPipelinedCommandsInOrder() throws Exception {
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.raw("EHLO peer.example\r\nMAIL FROM:<a@peer.example>\r\nRCPT TO:<x@elsewhere.example>\r\n"
                    + "RCPT TO:<postmaster@example.test>\r\nDATA\r\n");
            assertThat(client.reply()).startsWith("250-" + HOST);
            assertThat(client.reply()).startsWith("250 2.1.0");
            assertThat(client.reply()).startsWith("554 5.7.1");
            assertThat(client.reply()).startsWith("250 2.1.5");
            assertThat(client.reply()).startsWith("354");
            client.raw("Subject: p\r\n\r\nx\r\n.\r\nMAIL FROM:<b@peer.example>\r\nRCPT TO:<postmaster@example.test>\r\nQUIT\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0 Ok: queued as M1");
            assertThat(client.reply()).startsWith("250 2.1.0");
            assertThat(client.reply()).startsWith("250 2.1.5");
            assertThat(client.reply()).startsWith("221 2.0.0");
        }
    }

    @Test
    void limitsTheSizeAnnouncedAndTheSizeSent() throws Exception {
        Listener listener = start(RELAY, "max.message.size", 2048L);
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("EHLO peer.example")).contains("250-SIZE 2048");
            assertThat(client.command("MAIL FROM:<a@peer.example> SIZE=4096"))
                    .isEqualTo("552 5.3.4 Message size exceeds the limit of 2048 octets");
            String reply = send(client, "a@peer.example", "postmaster@example.test", "Subject: big\r\n\r\n" + "x".repeat(78) + "\r\n".repeat(1) + ("y".repeat(78) + "\r\n").repeat(40));
            assertThat(reply).isEqualTo("552 5.3.4 Message size exceeds the limit of 2048 octets");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(spool.stored).isEmpty();
        await().until(() -> spool.discarded.get() == 1);
    }

    @Test
    void limitsRecipientsPerMessage() throws Exception {
        Listener listener = start(RELAY, "max.recipients", 2);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<a@peer.example>");
            assertThat(client.command("RCPT TO:<one@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<two@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<three@example.test>")).isEqualTo("452 4.5.3 Too many recipients");
        }
    }

    @Test
    void limitsTheCommandLineLength() throws Exception {
        Listener listener = start(RELAY, "max.line.length", 512);
        try (SmtpClient client = connect(listener)) {
            assertThat(client.command("EHLO " + "a".repeat(505))).startsWith("250-");
            assertThat(client.command("EHLO " + "a".repeat(506))).isEqualTo("500 5.5.6 Line too long; at most 512 octets including CRLF");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
    }
}
