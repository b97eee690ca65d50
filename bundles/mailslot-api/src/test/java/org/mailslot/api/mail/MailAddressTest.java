package org.mailslot.api.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MailAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "alice@example.org",
        "first.last+tag@sub.example.co.uk",
        "!#$%&'*+-/=?^_`{|}~@example.org",
        "\"john doe\"@example.org",
        "\"a\\\"b\"@example.org",
        "postmaster@[192.0.2.1]",
        "root@[IPv6:2001:db8::1]",
        "root@[IPv6:::ffff:192.0.2.1]",
        "x@localhost",
    })
    void acceptsValidAddresses(String text) {
        MailAddress address = MailAddress.parse(text);

        assertThat(address.toString()).isEqualTo(text);
        assertThat(address.requiresSmtpUtf8()).isFalse();
    }

    @Test
    void splitsLocalPartAndDomainAtTheLastAtOutsideQuotes() {
        MailAddress address = MailAddress.parse("\"a@b\"@example.org");

        assertThat(address.localPart()).isEqualTo("\"a@b\"");
        assertThat(address.domain()).isEqualTo("example.org");
    }

    @Test
    void aQuotedLocalPartIsKeptInOneFormSoThatTwoSpellingsAreOneMailbox() {
        assertThat(MailAddress.parse("\"bob\"@localhost")).isEqualTo(MailAddress.parse("bob@localhost"))
                .hasSameHashCodeAs(MailAddress.parse("bob@localhost"))
                .hasToString("bob@localhost");
        assertThat(MailAddress.parse("\"b\\ob.smith\"@localhost").localPart()).isEqualTo("bob.smith");
        assertThat(MailAddress.parse("\"j\u00f6rg\"@localhost").localPart()).isEqualTo("j\u00f6rg");
        // Quotes that are needed stay, with only the escapes that are needed.
        assertThat(MailAddress.parse("\"john\\ doe\"@example.org")).hasToString("\"john doe\"@example.org");
        assertThat(MailAddress.parse("\"a..b\"@example.org").localPart()).isEqualTo("\"a..b\"");
        assertThat(MailAddress.parse("\".bob\"@example.org").localPart()).isEqualTo("\".bob\"");
        assertThat(MailAddress.parse("\"a\\\\b\"@example.org").localPart()).isEqualTo("\"a\\\\b\"");
        assertThat(MailAddress.parse("\"\"@example.org").localPart()).isEqualTo("\"\"");
    }

    @Test
    void knowsWhenSmtpUtf8IsNeeded() {
        assertThat(MailAddress.parse("jöran@example.org").requiresSmtpUtf8()).isTrue();
        assertThat(MailAddress.parse("info@bücher.example").requiresSmtpUtf8()).isTrue();
        assertThat(MailAddress.parse("用户@例子.广告").requiresSmtpUtf8()).isTrue();
    }

    @Test
    void comparesDomainsWithoutCaseAndLocalPartsExactly() {
        assertThat(MailAddress.parse("Alice@Example.ORG")).isEqualTo(MailAddress.parse("Alice@example.org"))
                .hasSameHashCodeAs(MailAddress.parse("Alice@example.org"));
        assertThat(MailAddress.parse("Alice@example.org")).isNotEqualTo(MailAddress.parse("alice@example.org"));
        assertThat(MailAddress.parse("a@Example.Org").normalizedDomain()).isEqualTo("example.org");
    }

    @Test
    void refusesLineBreaksAndNulNamingThemAndWhere() {
        assertThatThrownBy(() -> MailAddress.parse("bob@example.org\r\nRCPT TO:<eve@evil.example>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carriage return (CR) at index 15")
                .hasMessageNotContaining("\r");
        assertThatThrownBy(() -> MailAddress.parse("bob\n@example.org"))
                .hasMessageContaining("line feed (LF) at index 3");
        assertThatThrownBy(() -> MailAddress.parse("bob@exa\0mple.org"))
                .hasMessageContaining("NUL character at index 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "alice", "@example.org", "alice@", "alice@@example.org", "a b@example.org",
        ".alice@example.org", "alice.@example.org", "al..ice@example.org", "alice@example..org",
        "alice@-example.org", "alice@example-.org", "alice@exa_mple.org", "\"unterminated@example.org",
        "alice@[300.1.1.1]", "alice@[IPv6:zz::1]", "alice@[1.2.3.4", "(comment)alice@example.org",
        "alice@example.org ",
    })
    void refusesInvalidSyntax(String text) {
        assertThatThrownBy(() -> MailAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid address");
    }

    @Test
    void enforcesTheLengthLimitsInOctets() {
        String local64 = "a".repeat(64);
        assertThat(MailAddress.parse(local64 + "@example.org").localPart()).hasSize(64);
        assertThatThrownBy(() -> MailAddress.parse("a" + local64 + "@example.org"))
                .hasMessageContaining("local part is longer than 64 octets");
        // 32 two-octet characters are 64 octets; one more is too many.
        assertThatThrownBy(() -> MailAddress.parse("é".repeat(33) + "@example.org"))
                .hasMessageContaining("longer than 64 octets");
        assertThatThrownBy(() -> MailAddress.parse("a@" + "b".repeat(64) + ".org"))
                .hasMessageContaining("label longer than 63 octets");
        String longDomain = ("d".repeat(60) + ".").repeat(5) + "org";
        assertThatThrownBy(() -> MailAddress.parse("a@" + longDomain))
                .hasMessageContaining("longer than 254 octets");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> MailAddress.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
