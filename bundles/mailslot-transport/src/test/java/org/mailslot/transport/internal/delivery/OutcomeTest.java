package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;

/** Replies to outcomes, and the commands and octets on the wire. */
class OutcomeTest extends DeliveryFixture {

    private FakeSmtpServer server;
    private Route route;

    private void start() throws Exception {
        strategy(server.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        route = relay("relay", List.of(server.port()), credentials());
    }

    @Test
    void eachRecipientGetsItsOwnReply() throws Exception {
        server = implicit().rcptReply("busy@example.org", "450 4.2.1 Mailbox busy")
                .rcptReply("gone@example.org", "550 5.1.1 No such user");
        start();

        DeliveryResult result = send(route, "a@example.org", "ok@example.org", "busy@example.org", "gone@example.org");

        assertThat(result.recipients()).extracting(o -> o.recipient().toString(), RecipientOutcome::status,
                RecipientOutcome::replyCode, RecipientOutcome::enhancedCode, RecipientOutcome::text).containsExactly(
                        tuple("ok@example.org", DeliveryStatus.ACCEPTED, 250, "2.0.0", "Ok: queued as TEST"),
                        tuple("busy@example.org", DeliveryStatus.TEMPORARY_FAILURE, 450, "4.2.1", "Mailbox busy"),
                        tuple("gone@example.org", DeliveryStatus.PERMANENT_FAILURE, 550, "5.1.1", "No such user"));
        assertThat(result.recipients()).allSatisfy(o -> {
            assertThat(o.host()).isEqualTo("127.0.0.1");
            assertThat(o.port()).isEqualTo(server.port());
            assertThat(o.tls()).isPresent();
        });
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void everyRecipientRefusedMeansNoMessage() throws Exception {
        server = implicit().rcptReply("gone@example.org", "550 5.1.1 No such user");
        start();

        DeliveryResult result = send(route, "a@example.org", "gone@example.org");

        assertThat(result.recipients().get(0).status()).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(result.recipients().get(0).replyCode()).isEqualTo(550);
        assertThat(result.recipients().get(0).failure()).contains(FailureCause.REPLIED_5XX);
        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.REJECTED);
        // Pipelined: DATA went with the group and was refused; RSET leaves the connection clean.
        assertThat(server.messages()).isEmpty();
        assertThat(server.lines()).containsSubsequence("RCPT TO:<gone@example.org>", "DATA", "RSET");
    }

    @Test
    void everyRecipientRefusedMeansNoDataWithoutPipelining() throws Exception {
        server = implicit().offerPipelining(false).rcptReply("gone@example.org", "550 5.1.1 No such user");
        start();

        DeliveryResult result = send(route, "a@example.org", "gone@example.org");

        assertThat(result.recipients().get(0).status()).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(server.lines()).noneMatch(line -> line.equals("DATA")).contains("RSET");
    }

    @Test
    void refusedSenderDecidesForEveryRecipient() throws Exception {
        server = implicit().mailReply("451 4.7.1 Greylisted, try again later");
        start();

        DeliveryResult result = send(route, "a@example.org", "b@example.org", "c@example.org");

        assertThat(result.recipients()).extracting(RecipientOutcome::status, RecipientOutcome::replyCode)
                .containsOnly(tuple(DeliveryStatus.TEMPORARY_FAILURE, 451));
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void refusedSenderMeansNoRecipientWithoutPipelining() throws Exception {
        server = implicit().offerPipelining(false).mailReply("451 4.7.1 Greylisted, try again later");
        start();

        DeliveryResult result = send(route, "a@example.org", "b@example.org", "c@example.org");

        assertThat(result.recipients()).extracting(RecipientOutcome::status, RecipientOutcome::replyCode)
                .containsOnly(tuple(DeliveryStatus.TEMPORARY_FAILURE, 451));
        assertThat(server.lines()).noneMatch(line -> line.startsWith("RCPT"));
    }

    @Test
    void envelopeAndDataGoAsOneGroupWhenPipeliningIsOffered() throws Exception {
        // The server answers MAIL and RCPT only once DATA has arrived: a client waiting for
        // each reply would wait until its read timeout and fail.
        server = implicit().holdRepliesUntilData(true).rcptReply("gone@example.org", "550 5.1.1 No such user");
        start();

        DeliveryResult result = send(route, "a@example.org", "b@example.org", "gone@example.org");

        assertThat(result.recipients()).extracting(RecipientOutcome::status, RecipientOutcome::replyCode)
                .containsExactly(tuple(DeliveryStatus.ACCEPTED, 250), tuple(DeliveryStatus.PERMANENT_FAILURE, 550));
        assertThat(server.messages()).hasSize(1);
        assertThat(server.lines()).containsSubsequence("MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>",
                "RCPT TO:<gone@example.org>", "DATA");
    }

    @Test
    void refusedDataIsAPermanentFailureForTheAcceptedRecipients() throws Exception {
        server = implicit().dataReply("554 5.7.1 Message refused as spam")
                .rcptReply("busy@example.org", "452 4.2.2 Over quota");
        start();

        DeliveryResult result = send(route, "a@example.org", "b@example.org", "busy@example.org");

        assertThat(result.recipients()).extracting(RecipientOutcome::status, RecipientOutcome::replyCode,
                RecipientOutcome::enhancedCode).containsExactly(
                        tuple(DeliveryStatus.PERMANENT_FAILURE, 554, "5.7.1"),
                        tuple(DeliveryStatus.TEMPORARY_FAILURE, 452, "4.2.2"));
    }

    @Test
    void theMessageOctetsArriveUnchanged() throws Exception {
        server = implicit();
        start();
        byte[] message = ("From: a@example.org\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\nX-Odd:   spaced  \r\n\r\n"
                + ".leading dot\r\n..two dots\r\nCaf\u00e9 in 8 bits\r\n.\r\nend")
                .getBytes(StandardCharsets.UTF_8);
        Envelope envelope = Envelope.builder().from("a@example.org").to("b@example.org")
                .bodyType(BodyType.EIGHT_BIT_MIME).build();

        DeliveryResult result = transport.deliver(envelope, MessageSource.of(message), route);

        assertThat(result.allAccepted()).isTrue();
        // Only the CRLF SMTP needs before the final dot is added.
        assertThat(server.messages().get(0)).isEqualTo((new String(message, StandardCharsets.UTF_8) + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(server.lines()).contains("MAIL FROM:<a@example.org> BODY=8BITMIME");
    }

    @Test
    void nullSenderAndDsnParametersAreCarriedThrough() throws Exception {
        server = implicit();
        start();
        Envelope envelope = Envelope.builder().from("")
                .to(new Recipient(MailAddress.parse("b@example.org"), EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE),
                        Optional.of("rfc822;b+tag=1@example.org")))
                .to("c@example.org")
                .envelopeId("id+1=x").dsnReturn(DsnReturn.HDRS).build();

        DeliveryResult result = transport.deliver(envelope, MessageSource.of(MESSAGE), route);

        assertThat(result.allAccepted()).isTrue();
        assertThat(server.lines()).contains("MAIL FROM:<> RET=HDRS ENVID=id+2B1+3Dx",
                "RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Btag+3D1@example.org",
                "RCPT TO:<c@example.org>");
    }

    @Test
    void anAcceptedRecipientSaysWhetherTheServerWillReportOnItWithDsn() throws Exception {
        server = implicit();
        start();
        assertThat(send(route, "a@example.org", "b@example.org").recipients().get(0).withoutDsn()).isFalse();

        server.extensions("8BITMIME");
        transport.pool().evict(route.name());
        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.recipients().get(0).status()).isEqualTo(DeliveryStatus.ACCEPTED);
        assertThat(result.recipients().get(0).withoutDsn()).as("accepted by a server without DSN: relayed").isTrue();
    }

    @Test
    void utf8AddressesTravelWithSmtpUtf8() throws Exception {
        server = implicit();
        start();

        DeliveryResult result = send(route, "j\u00f6rg@example.org", "m\u00fcller@b\u00fccher.example");

        assertThat(result.allAccepted()).isTrue();
        assertThat(server.lines()).contains("MAIL FROM:<j\u00f6rg@example.org> SMTPUTF8",
                "RCPT TO:<m\u00fcller@b\u00fccher.example>");
    }

    @Test
    void utf8AddressesToAServerWithoutSmtpUtf8FailPermanentlyBeforeMail() throws Exception {
        server = implicit().extensions("8BITMIME");
        start();

        DeliveryResult result = send(route, "j\u00f6rg@example.org", "b@example.org");

        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.NOT_SUPPORTED);
        assertThat(outcome.enhancedCode()).isEqualTo("5.6.7");
        assertThat(server.lines()).noneMatch(line -> line.startsWith("MAIL"));
    }

    @Test
    void replyParsing() {
        assertThat(Reply.parse(250, "250-first line\n250 2.0.0 Ok: queued")).extracting(Reply::code,
                Reply::enhancedCode, Reply::text).containsExactly(250, "2.0.0", "first line Ok: queued");
        assertThat(Reply.parse(421, "421 Service not available")).extracting(Reply::code, Reply::enhancedCode,
                Reply::status).containsExactly(421, "", DeliveryStatus.TEMPORARY_FAILURE);
        // An enhanced code of another class than the reply is text, not a code.
        assertThat(Reply.parse(550, "550 2.0.0 odd").enhancedCode()).isEmpty();
        assertThat(Reply.parse(250, "250-sink.test\r\n250-PIPELINING\r\n250 2.1.5\r\n")).extracting(Reply::code,
                Reply::enhancedCode, Reply::text).containsExactly(250, "2.1.5", "sink.test PIPELINING");
        assertThat(Reply.parse(0, "354")).extracting(Reply::code, Reply::text).containsExactly(354, "");
        // Not codes: four digits, no space after the code; a line without a code is text.
        assertThat(Reply.parse(550, "550 5.1.1234 x")).extracting(Reply::enhancedCode, Reply::text)
                .containsExactly("", "5.1.1234 x");
        assertThat(Reply.parse(451, "451 4.3.0x busy")).extracting(Reply::enhancedCode, Reply::text)
                .containsExactly("", "4.3.0x busy");
        assertThat(Reply.parse(421, "[EOF]")).extracting(Reply::code, Reply::text).containsExactly(421, "[EOF]");
        assertThat(Reply.parse(250, "2500 odd")).extracting(Reply::code, Reply::text).containsExactly(250, "2500 odd");
        assertThat(Reply.statusOf(599)).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(Reply.statusOf(-1)).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
    }
}
