package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimKey;
import org.mailslot.api.dkim.DkimKeyCheck;
import org.mailslot.api.dkim.DkimKeys;

class DkimCommandsTest {

    /** Keys in memory; generate records what it was asked for. */
    static final class MemoryKeys implements DkimKeys {
        final List<DkimKey> keys = new ArrayList<>();
        DkimKeyCheck.Outcome outcome = DkimKeyCheck.Outcome.MATCHES;

        @Override
        public List<DkimKey> keys() {
            return keys;
        }

        @Override
        public DkimKey generate(String domain, String selector, DkimAlgorithm algorithm) {
            DkimKey key = new DkimKey(domain, selector, Optional.of(algorithm),
                    Path.of("etc/mailslot/dkim/" + domain + "-" + selector + ".pem"),
                    "v=DKIM1; k=" + algorithm.keyType() + "; p=" + "A".repeat(300), Optional.empty());
            keys.add(key);
            return key;
        }

        @Override
        public DkimKeyCheck check(String domain, String selector) {
            return new DkimKeyCheck(keys.get(0), outcome, "v=DKIM1; p=X", "detail");
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void captureOut() {
        originalOut = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOut() {
        System.setOut(originalOut);
    }

    @Test
    void keygenGeneratesTheTypeAskedForAndPrintsTheRecordInZoneFileStrings() throws Exception {
        MemoryKeys keys = new MemoryKeys();
        DkimKeygenCommand command = new DkimKeygenCommand();
        command.keys = keys;
        command.domain = "example.org";
        command.selector = "ed2026";
        command.type = "ed25519";
        command.execute();

        assertThat(keys.keys.get(0).algorithm()).hasValue(DkimAlgorithm.ED25519_SHA256);
        String out = bytes.toString(StandardCharsets.UTF_8);
        // A TXT string holds at most 255 octets: a longer record is split.
        assertThat(out).contains("ed2026._domainkey.example.org. IN TXT \"v=DKIM1; k=ed25519; p=AAA")
                .containsPattern("\" \"A+\"").contains("mailslot:dkim-check example.org ed2026");
        assertThat(DkimKeygenCommand.algorithm(null)).isEqualTo(DkimAlgorithm.RSA_SHA256);
        assertThatThrownBy(() -> DkimKeygenCommand.algorithm("dsa")).hasMessage("--type must be rsa or ed25519, not 'dsa'");
    }

    @Test
    void checkFailsUnlessThePublishedRecordMatches() {
        MemoryKeys keys = new MemoryKeys();
        keys.generate("example.org", "s1", DkimAlgorithm.RSA_SHA256);
        DkimCheckCommand command = new DkimCheckCommand();
        command.keys = keys;
        command.domain = "example.org";
        command.selector = "s1";
        command.execute();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("s1._domainkey.example.org: matches - detail");

        keys.outcome = DkimKeyCheck.Outcome.NOT_PUBLISHED;
        assertThatThrownBy(command::execute).hasMessage("the DKIM record of s1._domainkey.example.org does not match"
                + " the key (not published)");
    }

    @Test
    void withoutTheDkimBundleTheCommandsSaySo() {
        DkimKeysCommand command = new DkimKeysCommand();
        assertThatThrownBy(command::execute)
                .hasMessage("DKIM is not available: the mailslot-dkim bundle is not running");
    }
}
