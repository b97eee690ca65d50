package org.mailslot.api.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class EnvelopeTest {

    @Test
    void keepsRecipientsInOrderWithTheirDsnParameters() {
        Recipient carol = new Recipient(MailAddress.parse("carol@example.org"),
                Set.of(DsnNotify.FAILURE, DsnNotify.DELAY), Optional.of("rfc822;carol@example.org"));

        Envelope envelope = Envelope.builder()
                .from("alice@example.org")
                .to("bob@example.org")
                .to(carol)
                .bodyType(BodyType.EIGHT_BIT_MIME)
                .envelopeId("QQ314159")
                .dsnReturn(DsnReturn.HDRS)
                .build();

        assertThat(envelope.reversePath()).contains(MailAddress.parse("alice@example.org"));
        assertThat(envelope.recipients()).extracting(r -> r.address().toString())
                .containsExactly("bob@example.org", "carol@example.org");
        assertThat(envelope.recipients().get(1).notifyOn()).containsExactlyInAnyOrder(DsnNotify.FAILURE, DsnNotify.DELAY);
        assertThat(envelope.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(envelope.envelopeId()).contains("QQ314159");
        assertThat(envelope.dsnReturn()).contains(DsnReturn.HDRS);
        assertThat(envelope.toBuilder().build()).isEqualTo(envelope);
    }

    @Test
    void narrowedToSomeRecipientsItKeepsEverythingElse() {
        Envelope envelope = Envelope.builder().from("alice@example.org").to("bob@example.org").to("carol@example.org")
                .envelopeId("QQ314159").dsnReturn(DsnReturn.HDRS)
                .authenticatedSender(MailAddress.parse("alice@example.org")).build();

        Envelope carolsOnly = envelope.onlyFor(r -> r.address().localPart().equals("carol"));

        assertThat(carolsOnly.recipients()).extracting(r -> r.address().toString()).containsExactly("carol@example.org");
        assertThat(carolsOnly.authenticatedSender()).isEqualTo(envelope.authenticatedSender());
        assertThat(carolsOnly.envelopeId()).isEqualTo(envelope.envelopeId());
        assertThat(carolsOnly.dsnReturn()).isEqualTo(envelope.dsnReturn());
        assertThatThrownBy(() -> envelope.onlyFor(r -> false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requireTlsIsOffUnlessAskedAndTravelsWithCopiesAndNarrowing() {
        Envelope plain = Envelope.builder().from("alice@example.org").to("bob@example.org").to("carol@example.org").build();
        Envelope required = plain.toBuilder().requireTls(true).build();

        assertThat(plain.requireTls()).isFalse();
        assertThat(required.requireTls()).isTrue();
        assertThat(required).isNotEqualTo(plain);
        assertThat(required.onlyFor(r -> r.address().localPart().equals("bob")).requireTls()).isTrue();
    }

    @Test
    void anEmptySenderIsTheNullReversePath() {
        Envelope bounce = Envelope.builder().from("").to("alice@example.org").build();

        assertThat(bounce.reversePath()).isEmpty();
        assertThat(bounce.toString()).startsWith("Envelope[from=<>");
    }

    @Test
    void needsARecipientAndRefusesDuplicates() {
        assertThatThrownBy(() -> Envelope.builder().from("a@example.org").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one recipient");
        assertThatThrownBy(() -> Envelope.builder().to("b@Example.org").to("b@example.ORG"))
                .hasMessageContaining("Duplicate recipient");
    }

    @Test
    void derivesSmtpUtf8FromTheAddresses() {
        assertThat(Envelope.builder().from("a@example.org").to("b@example.org").build().requiresSmtpUtf8()).isFalse();
        assertThat(Envelope.builder().from("a@example.org").to("bö@example.org").build().requiresSmtpUtf8()).isTrue();
    }

    @Test
    void refusesUnsafeDsnParameters() {
        assertThatThrownBy(() -> Envelope.builder().envelopeId("id\r\nDATA"))
                .hasMessageContaining("carriage return (CR)");
        assertThatThrownBy(() -> Envelope.builder().envelopeId("x".repeat(101)))
                .hasMessageContaining("1 to 100 printable ASCII");
        assertThatThrownBy(() -> new Recipient(MailAddress.parse("a@example.org"),
                Set.of(DsnNotify.NEVER, DsnNotify.FAILURE), Optional.empty()))
                .hasMessageContaining("NOTIFY=NEVER cannot be combined");
        assertThatThrownBy(() -> new Recipient(MailAddress.parse("a@example.org"), Set.of(),
                Optional.of("no-type-here")))
                .hasMessageContaining("addr-type;address");
    }

    @Test
    void parsesBodyTypes() {
        assertThat(BodyType.ofKeyword("8bitmime")).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThatThrownBy(() -> BodyType.ofKeyword("9BIT")).hasMessageContaining("expected 7BIT, 8BITMIME or BINARYMIME");
    }

    @Test
    void singleLineCheckEscapesWhatItQuotes() {
        assertThatThrownBy(() -> MailSyntax.requireSingleLine("subject", "Hello\nBcc: eve@evil.example"))
                .hasMessage("subject \"Hello\\nBcc: eve@evil.example\" contains a line feed (LF) at index 5");
    }
}
