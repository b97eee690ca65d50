package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailslot.dkim.internal.SigningProcessorTest.key;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which bound keys serve a domain or a name, as signing, sealing and the key commands ask. */
class ConfiguredKeysTest {

    @TempDir
    Path dir;

    @Test
    void aDomainHasOneKeyPerSelectorOrderedBySelectorAndANameItsFirstBoundKey() {
        ConfiguredKeys keys = new ConfiguredKeys();
        ConfiguredKey s2 = new ConfiguredKey(key("example.org", "s2", ""), dir);
        ConfiguredKey s1 = new ConfiguredKey(key("example.org", "s1", ""), dir);
        ConfiguredKey s1Again = new ConfiguredKey(key("example.org", "s1", "other.pem"), dir);
        ConfiguredKey elsewhere = new ConfiguredKey(key("example.net", "s1", ""), dir);
        keys.add(s2);
        keys.add(s1);
        keys.add(s1Again);
        keys.add(elsewhere);

        assertThat(keys.ofDomain("example.org")).containsExactly(s1, s2);
        assertThat(keys.find("example.org", "s1")).containsSame(s1);
        assertThat(keys.find("example.org", "s3")).isEmpty();
        assertThat(keys.all()).containsExactly(s2, s1, s1Again, elsewhere);

        keys.remove(s1);
        assertThat(keys.ofDomain("example.org")).containsExactly(s1Again, s2);
        assertThat(keys.find("example.net", "s1")).containsSame(elsewhere);
    }
}
