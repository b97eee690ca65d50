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

    /** Property: any mix of commas and white space between the same elements gives the same list. Seeded. */
    @Test
    void anySeparatorsGiveTheSameElements() {
        java.util.Random random = new java.util.Random(5321);
        String[] separators = {",", " ", ", ", " ,", "\t", ",,", "  ,  "};
        for (int run = 0; run < 1000; run++) {
            List<String> elements = new java.util.ArrayList<>();
            StringBuilder text = new StringBuilder(random.nextBoolean() ? " " : "");
            for (int i = 0; i < 1 + random.nextInt(5); i++) {
                String element = "d" + random.nextInt(1000) + ".example";
                elements.add(element);
                if (i > 0) {
                    text.append(separators[random.nextInt(separators.length)]);
                }
                text.append(random.nextInt(4) == 0 ? "\"" + element + "\"" : element);
            }
            assertThat(ListProperty.split("local.domains", text.toString())).as(text.toString()).isEqualTo(elements);
        }
    }
}
