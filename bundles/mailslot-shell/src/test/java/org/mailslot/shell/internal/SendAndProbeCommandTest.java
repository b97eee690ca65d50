package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.AppliedTlsPolicy;
import org.mailslot.api.transport.DnssecStatus;
import org.mailslot.api.transport.MxProbe;
import org.mailslot.api.transport.PortProbe;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.api.transport.PortProbe.Reachability;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.TlsSession;
import org.mailslot.support.mail.Crlf;

class SendAndProbeCommandTest {

    private static final ZonedDateTime DATE = ZonedDateTime.of(2026, 11, 28, 10, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void composesAMessageWithCrlfLinesAndEncodedUtf8() {
        String message = new String(MessageComposer.compose(MailAddress.parse("alice@example.org"),
                List.of(MailAddress.parse("bob@example.org")), "Grüße", "line one\nline two", DATE), StandardCharsets.UTF_8);

        assertThat(message).startsWith("Date: Sat, 28 Nov 2026 10:00:00 GMT\r\n")
                .contains("From: <alice@example.org>\r\nTo: <bob@example.org>\r\n")
                .contains("Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n")
                .contains("Content-Type: text/plain; charset=US-ASCII\r\n")
                .endsWith("\r\n\r\nline one\r\nline two\r\n");
        assertThat(message.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void refusesASubjectThatWouldInjectHeaders() {
        assertThatThrownBy(() -> MessageComposer.compose(MailAddress.parse("a@example.org"),
                List.of(MailAddress.parse("b@example.org")), "Hi\r\nBcc: eve@evil.example", "", DATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subject").hasMessageContaining("carriage return (CR) at index 2");
    }

    @Test
    void normalisesBareLineEndings() {
        assertThat(new String(Crlf.canonical("a\nb\rc\r\nd".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII))
                .isEqualTo("a\r\nb\r\nc\r\nd");
    }

    @Test
    void printsTheOutcomePerRecipientAndEveryAttempt() {
        TlsSession tls = new TlsSession("TLSv1.3", "TLS_AES_256_GCM_SHA384", "CN=mail", "CN=ca",
                Instant.parse("2027-01-01T00:00:00Z"), true, Optional.empty());
        DeliveryResult result = new DeliveryResult("smarthost", List.of(
                new RecipientOutcome(MailAddress.parse("bob@example.org"), DeliveryStatus.ACCEPTED, 250, "2.0.0",
                        "Ok: queued as 4F2", "127.0.0.2", 465, Optional.of(tls)),
                new RecipientOutcome(MailAddress.parse("nobody@example.org"), DeliveryStatus.PERMANENT_FAILURE, 550,
                        "5.1.1", "User unknown", "127.0.0.2", 465, Optional.of(tls))),
                List.of(new Attempt("127.0.0.2", 587, Instant.now(), Attempt.Result.REFUSED, "connection refused", Optional.empty()),
                        new Attempt("127.0.0.2", 465, Instant.now(), Attempt.Result.DELIVERED, "250 2.0.0 Ok", Optional.of(tls))));

        String output = capture(out -> SendCommand.print(List.of(result), out));

        assertThat(line(output, "bob@example.org")).contains("accepted").contains("250 2.0.0 Ok: queued as 4F2")
                .contains("127.0.0.2:465").contains("TLSv1.3 TLS_AES_256_GCM_SHA384");
        assertThat(line(output, "nobody@example.org")).contains("permanent failure").contains("550 5.1.1 User unknown");
        assertThat(line(output, "587")).contains("refused").contains("connection refused");
    }

    @Test
    void printsWhatEachPortShowed() {
        TlsSession unverified = new TlsSession("TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=mail.example.test", "CN=Test CA",
                Instant.parse("2027-01-01T00:00:00Z"), false, Optional.of("PKIX path building failed"));
        String output = capture(out -> ProbeCommand.print("mx.example.test", List.of(
                new PortProbe(25, Reachability.OPEN, Optional.of("220 mx ESMTP"), List.of("PIPELINING", "STARTTLS"),
                        List.of("PIPELINING", "AUTH PLAIN"), true, Optional.of(unverified), Optional.empty()),
                new PortProbe(587, Reachability.REFUSED, Optional.empty(), List.of(), List.of(), false, Optional.empty(),
                        Optional.of("connection refused"))), out));

        assertThat(output).contains("mx.example.test:25  open").contains("banner       220 mx ESMTP")
                .contains("extensions   PIPELINING, STARTTLS").contains("starttls     offered")
                .contains("under tls    PIPELINING, AUTH PLAIN")
                .contains("tls          TLSv1.3 TLS_AES_128_GCM_SHA256").contains("certificate  CN=mail.example.test")
                .contains("verified     no: PKIX path building failed")
                .contains("mx.example.test:587  refused").contains("error        connection refused");
    }

    @Test
    void printsAnMxProbeHostByHost() {
        MxProbe probe = new MxProbe("dane.test", new AppliedTlsPolicy(TlsPolicyLevel.DANE, "tls.security.level=dane",
                "1 of 1 MX hosts can be used under it"), DnssecStatus.SECURE, "none published",
                List.of(new MxProbe.MxHostProbe("mx.dane.test", 10, List.of("127.0.0.2"), DnssecStatus.SECURE,
                        List.of("3 1 1 00ff"), "TLS required; dane-verified", Optional.of("no: matches none"),
                        Optional.empty(), Optional.of(new PortProbe(25, Reachability.REFUSED, Optional.empty(), List.of(),
                                List.of(), false, Optional.empty(), Optional.of("connection refused"))))),
                Optional.empty());

        String output = capture(out -> ProbeCommand.printMx(probe, out));

        assertThat(output).contains("dane.test  tls-policy=dane (tls.security.level=dane): 1 of 1 MX hosts can be used")
                .contains("mx dnssec    secure").contains("mta-sts      none published")
                .contains("mx.dane.test  preference 10  127.0.0.2").contains("tlsa dnssec  secure")
                .contains("tlsa         3 1 1 00ff").contains("policy       TLS required; dane-verified")
                .contains("tlsa match   no: matches none").contains("mx.dane.test:25  refused");
    }

    @Test
    void refusesPortsThatAreNotPorts() {
        assertThat(ProbeCommand.parsePorts("25, 465,587")).containsExactly(25, 465, 587);
        assertThatThrownBy(() -> ProbeCommand.parsePorts("25,smtp")).hasMessage("--ports: \"smtp\" is not a port between 1 and 65535");
        assertThatThrownBy(() -> ProbeCommand.parsePorts("70000")).hasMessageContaining("\"70000\" is not a port");
    }

    private static String capture(Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        printer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String line(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + output));
    }
}
