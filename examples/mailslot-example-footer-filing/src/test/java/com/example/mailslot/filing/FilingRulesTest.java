package com.example.mailslot.filing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FilingRulesTest {

    private final FilingRules rules = FilingRules.from(Map.of(
            "rule.10", "Subject: invoice -> Invoices",
            "rule.2", "List-Id: <dev[.]mailslot[.]org> -> Lists.dev",
            "rule.1", "From: @bank[.]example$ -> Bank",
            "default.folder", "INBOX",
            "service.pid", "com.example.mailslot.filing"), "INBOX");

    @Test
    void rulesAreTriedInNumericOrderAndTheFirstMatchWins() {
        assertThat(rules.rules()).extracting(FilingRule::folder).containsExactly("Bank", "Lists.dev", "Invoices");

        assertThat(rules.folderFor(header("From: billing@bank.example\r\nSubject: Your invoice\r\n"))).isEqualTo("Bank");
        assertThat(rules.folderFor(header("List-Id: Dev <dev.mailslot.org>\r\nSubject: INVOICE\r\n"))).isEqualTo("Lists.dev");
        assertThat(rules.folderFor(header("Subject: hello\r\n"))).isEqualTo("INBOX");
    }

    @Test
    void foldedAndEncodedHeadersAreMatchedAsAReaderSeesThem() {
        assertThat(rules.folderFor(header("Subject: Your monthly\r\n\t=?UTF-8?Q?Invoice_f=C3=BCr?= =?UTF-8?B?TcOkcno=?=\r\n")))
                .isEqualTo("Invoices");
        FilingRules umlaut = FilingRules.from(Map.of("rule.1", "Subject: für März -> Archive.2026"), "INBOX");
        assertThat(umlaut.folderFor(header("Subject: =?UTF-8?Q?Invoice_f=C3=BCr_?= =?UTF-8?B?TcOkcno=?=\r\n")))
                .isEqualTo("Archive.2026");
        assertThat(umlaut.folderFor("Subject: Rechnung für März\r\n\r\n".getBytes(StandardCharsets.UTF_8)))
                .as("RFC 6532 UTF-8 header").isEqualTo("Archive.2026");
    }

    @Test
    void anyInstanceOfARepeatedFieldMatches() {
        FilingRules received = FilingRules.from(Map.of("rule.1", "Received: from relay[.]partner -> Partner"), "INBOX");

        assertThat(received.folderFor(header("Received: from a\r\nReceived: from relay.partner (x)\r\n"))).isEqualTo("Partner");
    }

    @Test
    void aBadRuleIsRefusedNamingItsKeyAndWhatIsWrong() {
        assertThatThrownBy(() -> FilingRules.from(Map.of("rule.3", "Subject invoice Invoices"), "INBOX"))
                .hasMessage("rule.3 = 'Subject invoice Invoices': write rules as 'Header: pattern -> Folder'");
        assertThatThrownBy(() -> FilingRules.from(Map.of("rule.1", "Subject: ([a -> Broken"), "INBOX"))
                .hasMessageStartingWith("rule.1: bad pattern '([a': ");
        assertThatThrownBy(() -> FilingRules.from(Map.of("rule.1", "Subject: x -> ../etc"), "INBOX"))
                .hasMessageStartingWith("rule.1: bad folder name '../etc'");
        assertThatThrownBy(() -> FilingRules.from(Map.of("rule.1", "Sub ject: x -> A"), "INBOX"))
                .hasMessageStartingWith("rule.1: 'Sub ject' is not a header field name");
        assertThatThrownBy(() -> FilingRules.from(Map.of("rule.first", "Subject: x -> A"), "INBOX"))
                .hasMessage("rule.first: rules are numbered rule.1, rule.2, ...");
        assertThatThrownBy(() -> FilingRules.from(Map.of(), "Lists..dev"))
                .hasMessageStartingWith("bad folder name 'Lists..dev'");
    }

    private static byte[] header(String fields) {
        return (fields + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
