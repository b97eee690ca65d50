package org.mailslot.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The separators the former copies disagreed on: "," in some bundles, "[,\s]+" in others. */
class ListPropertyTest {

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            a.example b.example          | a.example;b.example
            a.example,b.example          | a.example;b.example
            a.example, b.example         | a.example;b.example
            ' a.example ,, b.example , ' | a.example;b.example
            'a.example\tb.example'       | a.example;b.example
            a.example                    | a.example
            INBOX, "Sent Items"          | INBOX;Sent Items
            "a,b" c                      | a,b;c
            ''                           |
            """)
    void commasAndWhiteSpaceBothSeparate(String value, String expected) {
        List<String> wanted = expected == null ? List.of() : Arrays.asList(expected.split(";"));
        assertThat(ListProperty.split("local.domains", value)).isEqualTo(wanted);
    }

    @Test
    void arrayElementsAreSplitAlike() {
        assertThat(ListProperty.split("ports", new String[] {"587 465", "2525"})).containsExactly("587", "465", "2525");
        assertThat(ListProperty.split("ports", (String[]) null)).isEmpty();
        assertThat(ListProperty.split("ports", (Object) List.of("a b", "c"))).containsExactly("a", "b", "c");
    }

    @Test
    void anUnclosedQuoteNamesTheProperty() {
        assertThatThrownBy(() -> ListProperty.split("folders", "INBOX, \"Sent"))
                .hasMessageStartingWith("folders: ");
    }
}
