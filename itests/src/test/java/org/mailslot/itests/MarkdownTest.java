package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** How ReadmeContractIT reads a README: the parts it drives against the distribution. */
public class MarkdownTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Markdown read(String text) throws IOException {
        Path root = folder.getRoot().toPath();
        Path file = Files.createDirectories(root.resolve("bundles/x")).resolve("README.md");
        Files.writeString(file, text);
        return Markdown.read(root, file);
    }

    @Test
    public void tablesSplitOnBarsOutsideCodeSpansAndKnowTheTextBefore() throws IOException {
        Markdown markdown = read("""
                PID `org.mailslot.delivery`.

                | property | default | meaning |
                |---|---|---|
                | `a.b`, `c` | `x | y` | one |
                | `d` | 5 | two |
                """);

        Markdown.Table table = markdown.tables.get(0);
        assertThat(table.header()).containsExactly("property", "default", "meaning");
        assertThat(table.rows()).containsExactly(List.of("`a.b`, `c`", "`x | y`", "one"), List.of("`d`", "5", "two"));
        assertThat(table.textBefore()).contains("org.mailslot.delivery");
        assertThat(table.where()).isEqualTo("bundles/x/README.md:3");
    }

    @Test
    public void aFenceKnowsTheParagraphBeforeItEvenAcrossABlankLine() throws IOException {
        Markdown markdown = read("""
                ## Configuration: `etc/org.mailslot.crypto.cfg`

                ```
                default.encrypt = never
                ```

                In `etc/org.mailslot.tls.cfg`:
                ```
                identity.key = /k.pem
                ```

                ```sh
                mvn -B verify
                ```
                """);

        assertThat(markdown.fences).extracting(Markdown.Fence::info).containsExactly("", "", "sh");
        assertThat(markdown.fences.get(0).paragraphBefore()).contains("etc/org.mailslot.crypto.cfg");
        assertThat(markdown.fences.get(0).lines()).containsExactly("default.encrypt = never");
        assertThat(markdown.fences.get(1).paragraphBefore()).contains("etc/org.mailslot.tls.cfg");
        assertThat(markdown.fences.get(2).paragraphBefore()).isEmpty();
    }

    @Test
    public void codeSpansLinksAndWhatIsInParentheses() {
        String what = "`host`, `password` (or `.password`; never logged), `domains` ([details](bundles/t/README.md))";
        assertThat(Markdown.codeSpans(what)).containsExactly("host", "password", ".password", "domains");
        assertThat(Markdown.links(what)).containsExactly("bundles/t/README.md");
        assertThat(Markdown.codeSpans(Markdown.withoutParentheses(what))).containsExactly("host", "password", "domains");
    }
}
