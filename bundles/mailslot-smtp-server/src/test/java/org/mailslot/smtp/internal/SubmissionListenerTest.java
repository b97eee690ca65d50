package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionException.Reason;

/** A 587-type listener: STARTTLS required, AUTH required. */
class SubmissionListenerTest extends ListenerTestSupport {

    @Test
    void offersStartTlsButNotAuthBeforeTls() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = connect(listener)) {
            String ehlo = client.command("EHLO client.test");
            assertThat(ehlo.split("\n")).contains("250-" + HOST + " Hello client.test", "250-PIPELINING",
                    "250-SIZE 36700160", "250-8BITMIME", "250-SMTPUTF8", "250-ENHANCEDSTATUSCODES", "250-DSN", "250 STARTTLS");
            assertThat(ehlo).doesNotContain("AUTH");
        }
    }

    @Test
    void refusesMailAndAuthBeforeStartTls() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO client.test");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(client.authPlain("alice", "s3cret")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(client.command("AUTH LOGIN")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        }
        assertThat(users.lastThread).isNull();
    }

    @Test
    void requiresAuthBeforeMailOnceTlsIsUp() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO client.test");
            assertThat(client.startTls(clientTls())).isEqualTo("220 2.0.0 Ready to start TLS");
            String ehlo = client.command("EHLO client.test");
            assertThat(ehlo).contains("250 AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(client.command("STARTTLS")).startsWith("503 5.5.1");
        }
    }

    @Test
    void acceptsAMessageWithAReceivedHeaderNamingTlsAndTheUser() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = authenticated(listener)) {
            String reply = send(client, "alice@example.test", "carol@elsewhere.example",
                    "Subject: hi\r\n\r\n..a line that started with a dot\r\nbye\r\n");
            assertThat(reply).isEqualTo("250 2.0.0 Ok: queued as M1");
            assertThat(client.command("QUIT")).startsWith("221 2.0.0");
        }
        assertThat(spool.stored).hasSize(1);
        MemorySubmission.Stored stored = spool.stored.get(0);
        assertThat(stored.envelope().reversePath()).contains(MailAddress.parse("alice@example.test"));
        assertThat(stored.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly("carol@elsewhere.example");
        String text = stored.text();
        assertThat(text).startsWith("Received: from client.test ([127.0.0.1])\r\n\tby " + HOST + " (Mailslot) with ESMTPSA id ")
                .contains("\t(using TLSv1.3 with cipher TLS_")
                .contains("(authenticated user alice)\r\n")
                .contains("\tfor <carol@elsewhere.example>; ")
                .endsWith("\r\nSubject: hi\r\n\r\n.a line that started with a dot\r\nbye\r\n");
        assertThat(spool.commitThread).contains("-worker");
        assertThat(listener.status().messagesAccepted()).isEqualTo(1);
    }

    @Test
    void authLoginRunsOffTheEventLoop() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO client.test");
            client.startTls(clientTls());
            client.command("EHLO client.test");
            assertThat(client.command("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(client.command(SmtpClient.b64("bob@example.test"))).isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(client.command(SmtpClient.b64("pw"))).isEqualTo("235 2.7.0 Authentication successful");
            assertThat(client.command("AUTH PLAIN")).startsWith("503 5.5.1");
        }
        assertThat(users.lastThread).contains("-worker").doesNotContain("-io");
    }

    @Test
    void failedAuthAttemptsAreLimited() throws Exception {
        Listener listener = start(SUBMISSION, "max.auth.failures", 2);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO client.test");
            client.startTls(clientTls());
            client.command("EHLO client.test");
            assertThat(client.authPlain("alice", "wrong")).isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(client.command("AUTH PLAIN")).isEqualTo("334 ");
            assertThat(client.command("*")).isEqualTo("501 5.0.0 Authentication cancelled");
            assertThat(client.authPlain("alice", "also wrong")).isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(client.reply()).isEqualTo("421 4.7.0 " + HOST + " Too many failed authentication attempts");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void bindsTheSenderToTheLoginInTheLocalDomainsAndVouchesOnlyForABoundSender() throws Exception {
        Listener listener = start(SUBMISSION, "sender.binding", "login-must-match-local-part");
        try (SmtpClient client = authenticated(listener)) {
            assertThat(client.command("MAIL FROM:<mallory@example.test>"))
                    .isEqualTo("553 5.7.1 Sender address rejected: not owned by user alice");
            // The right local part in someone else's domain is not alice's address.
            assertThat(client.command("MAIL FROM:<alice@anybank.example>"))
                    .isEqualTo("553 5.7.1 Sender address rejected: not owned by user alice");
            assertThat(client.command("MAIL FROM:<>")).startsWith("553 5.7.1");
            assertThat(send(client, "alice@example.test", "carol@elsewhere.example", "Subject: mine\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO client.test");
            client.startTls(clientTls());
            client.command("EHLO client.test");
            assertThat(client.authPlain("bob@example.test", "pw")).startsWith("235");
            // A login that is a whole address owns that address, whatever its domain.
            assertThat(client.command("MAIL FROM:<bob@elsewhere.example>")).startsWith("553 5.7.1");
            assertThat(send(client, "bob@EXAMPLE.test", "carol@elsewhere.example", "Subject: bob\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(spool.stored).extracting(stored -> stored.envelope().authenticatedSender())
                .containsExactly(Optional.of(MailAddress.parse("alice@example.test")),
                        Optional.of(MailAddress.parse("bob@example.test")));
    }

    @Test
    void senderDomainsNarrowWhereALoginMayUseItsLocalPart() throws Exception {
        Listener listener = start(SUBMISSION, "sender.binding", "login-must-match-local-part",
                "sender.domains", "mail.example.test");
        try (SmtpClient client = authenticated(listener)) {
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("553 5.7.1");
            assertThat(client.command("MAIL FROM:<alice@Mail.Example.Test>")).isEqualTo("250 2.1.0 Ok");
        }
    }

    @Test
    void refusesDomainsThatAreNotDomains() {
        assertThatThrownBy(() -> Settings.of("x", Configs.of(ListenerConfig.class, "port", 10587, "strategy", 587,
                "local.domains", "example.test, bad..domain")))
                .hasMessageStartingWith("listener x: local.domains: \"bad..domain\" is not a domain");
        assertThatThrownBy(() -> Settings.of("x", Configs.of(ListenerConfig.class, "port", 10587, "strategy", 587,
                "sender.domains", new String[] {"a@b"})))
                .hasMessageStartingWith("listener x: sender.domains: \"a@b\" is not a domain");
    }

    @Test
    void theSenderDomainsFollowTheDeliverysLocalDomainsWhenTheListenerHasNone() throws Exception {
        spool.localDomains = Set.of("corp.example");
        Listener listener = start(SUBMISSION, "local.domains", null, "sender.binding", "login-must-match-local-part");
        try (SmtpClient client = authenticated(listener)) {
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("553 5.7.1");
            assertThat(client.command("MAIL FROM:<alice@corp.example>")).isEqualTo("250 2.1.0 Ok");
        }
    }

    @Test
    void withoutBindingNobodyIsVouchedFor() throws Exception {
        Listener listener = start(SUBMISSION, "sender.binding", "none");
        try (SmtpClient client = authenticated(listener)) {
            assertThat(send(client, "alice@example.test", "carol@elsewhere.example", "Subject: a\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
            assertThat(send(client, "mallory@anybank.example", "carol@elsewhere.example", "Subject: b\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        Listener exact = start(SUBMISSION, "sender.binding", "exact");
        try (SmtpClient client = connect(exact)) {
            client.command("EHLO client.test");
            client.startTls(clientTls());
            client.command("EHLO client.test");
            assertThat(client.authPlain("bob@example.test", "pw")).startsWith("235");
            assertThat(send(client, "bob@example.test", "carol@elsewhere.example", "Subject: c\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(spool.stored).extracting(stored -> stored.envelope().authenticatedSender())
                .containsExactly(Optional.empty(), Optional.empty(), Optional.of(MailAddress.parse("bob@example.test")));
    }

    @Test
    void aClientThatHasNotAuthenticatedIsNeverVouchedFor() throws Exception {
        Listener listener = start(RELAY, "sender.binding", "login-must-match-local-part");
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(send(client, "alice@example.test", "postmaster@example.test", "Subject: a\r\n\r\nx\r\n"))
                    .startsWith("250 2.0.0");
        }
        assertThat(spool.stored.get(0).envelope().authenticatedSender()).isEmpty();
    }

    @Test
    void carriesDsnAndBodyParametersIntoTheEnvelope() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = authenticated(listener)) {
            assertThat(client.command("MAIL FROM:<alice@example.test> RET=HDRS ENVID=QQ+2B314+3D159 BODY=8BITMIME SMTPUTF8 SIZE=100"))
                    .isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<dörte+tag@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=utf-8;d\\x{F6}rte+2Btag+3D1@example.test"))
                    .isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("RCPT TO:<erin@example.test> NOTIFY=NEVER")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: Grüße\r\n\r\nHallo\r\n.")).startsWith("250 2.0.0");
        }
        Envelope envelope = spool.stored.get(0).envelope();
        assertThat(envelope.dsnReturn()).contains(DsnReturn.HDRS);
        // Kept decoded: the transport encodes once for the next hop (+2B, never +2B2B).
        assertThat(envelope.envelopeId()).contains("QQ+314=159");
        assertThat(envelope.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(envelope.recipients().get(0).notifyOn()).isEqualTo(Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE));
        assertThat(envelope.recipients().get(0).originalRecipient()).contains("utf-8;d\\x{F6}rte+tag=1@example.test");
        assertThat(envelope.recipients().get(1).notifyOn()).isEqualTo(Set.of(DsnNotify.NEVER));
        assertThat(envelope.recipients().get(1).originalRecipient()).isEqualTo(Optional.empty());
        assertThat(spool.stored.get(0).text()).contains("\tby " + HOST).endsWith("Subject: Grüße\r\n\r\nHallo\r\n");
    }

    @Test
    void refusesMalformedDsnParameters() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = authenticated(listener)) {
            assertThat(client.command("MAIL FROM:<alice@example.test> ENVID=a=b"))
                    .isEqualTo("501 5.5.4 Bad MAIL parameter ENVID: malformed xtext: \"=\" must be encoded as +XX");
            assertThat(client.command("MAIL FROM:<alice@example.test> ENVID=a+2"))
                    .startsWith("501 5.5.4 Bad MAIL parameter ENVID: malformed xtext");
            assertThat(client.command("MAIL FROM:<alice@example.test> ENVID=a+0A"))
                    .startsWith("501 5.5.4 Bad MAIL parameter ENVID: xtext decodes to a character outside printable US-ASCII");
            assertThat(client.command("MAIL FROM:<alice@example.test> ENVID=" + "x".repeat(101)))
                    .isEqualTo("501 5.5.4 Bad MAIL parameter ENVID: longer than 100 characters");
            assertThat(client.command("MAIL FROM:<alice@example.test> ENVID=ok+20id")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<bob@example.test> ORCPT=rfc822;bob+zz@example.test"))
                    .startsWith("501 5.5.4 Bad RCPT parameter ORCPT: malformed xtext");
            assertThat(client.command("RCPT TO:<bob@example.test> ORCPT=bob@example.test"))
                    .startsWith("501 5.5.4 Bad RCPT parameter ORCPT: must be addr-type;address");
            assertThat(client.command("RCPT TO:<bob@example.test> ORCPT=rfc822;")).startsWith("501 5.5.4 Bad RCPT parameter ORCPT");
            assertThat(client.command("RCPT TO:<bob@example.test> ORCPT=rfc822;bob+2Bx@example.test")).isEqualTo("250 2.1.5 Ok");
        }
    }

    @Test
    void aSpoolThatDoesNotBlockIsCalledFromTheLoopWithTheSameAnswers() throws Exception {
        submission = spool.nonBlocking();
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = authenticated(listener)) {
            assertThat(send(client, "alice@example.test", "bob@example.test", "Subject: a\r\n\r\nsmall\r\n"))
                    .isEqualTo("250 2.0.0 Ok: queued as M1");
            // Larger than what the session holds: its first 128 KiB go to the writer before the end.
            String large = "Subject: b\r\n\r\n" + "0123456789abcdef".repeat(9000) + "\r\n";
            assertThat(send(client, "alice@example.test", "bob@example.test", large)).isEqualTo("250 2.0.0 Ok: queued as M2");
            answersFailuresOfCommitAndBegin(client);
        }
        assertThat(spool.stored).extracting(MemorySubmission.Stored::text)
                .satisfiesExactly(first -> assertThat(first).endsWith("\r\n\r\nsmall\r\n"),
                        second -> assertThat(second).endsWith("0123456789abcdef".repeat(9000) + "\r\n"));
        await().until(() -> spool.discarded.get() == 1);
    }

    /**
     * A full spool at the commit is 452 for that message; a spool that cannot begin is 451 at DATA.
     * What the spool says (its directory, the system's error) is for the log, never for the client.
     */
    private void answersFailuresOfCommitAndBegin(SmtpClient client) throws Exception {
        spool.failOnCommit = new SubmissionException(Reason.STORAGE_FULL,
                "Spool storage is full: less than 64 KiB free in /opt/mailslot/data/mailslot/spool/tmp");
        assertThat(send(client, "alice@example.test", "bob@example.test", "Subject: a\r\n\r\nx\r\n"))
                .isEqualTo("452 4.3.1 Insufficient system storage; try again later");
        spool.failOnCommit = null;
        spool.failOnBegin = new SubmissionException(Reason.UNAVAILABLE, "Could not write /opt/mailslot/data/mailslot/spool/tmp/X1");
        assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
        assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("250");
        assertThat(client.command("DATA")).isEqualTo("451 4.3.0 Mail storage failed; try again later");
        assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
    }

    @Test
    void answersSubmissionFailuresWithTheirReplyCodes() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = authenticated(listener)) {
            answersFailuresOfCommitAndBegin(client);
        }
        assertThat(spool.stored).isEmpty();
        await().until(() -> spool.discarded.get() == 1);
    }

    @Test
    void withoutASpoolNeverAnswers250() throws Exception {
        Listener listener = start(SUBMISSION);
        try (SmtpClient client = authenticated(listener)) {
            submission = null;
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("451 4.3.0 Mail storage is unavailable; try again later");
            submission = spool;
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("250");
            submission = null;
            assertThat(client.command("DATA")).isEqualTo("451 4.3.0 Mail storage is unavailable; try again later");
        }
    }
}
