package org.mailslot.support.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MovedPropertiesTest {

    private final MovedProperties openpgp = new MovedProperties("org.mailslot.crypto", "org.mailslot.openpgp",
            name -> name.startsWith("openpgp.") || name.equals(".keys.passphrase"));

    @Test
    void eachMovedPropertyStillInTheOldPlaceIsNamedWithItsNewPid() {
        assertThat(openpgp.warnings(Map.of("openpgp.max.compression.depth", "3", "default.encrypt", "never",
                ".keys.passphrase", "secret", "smime.directory", "/x")))
                .containsExactly("Configuration org.mailslot.crypto sets .keys.passphrase, which belongs to"
                        + " org.mailslot.openpgp now: move it to etc/org.mailslot.openpgp.cfg (it is read from"
                        + " org.mailslot.crypto while org.mailslot.openpgp does not set it)",
                        "Configuration org.mailslot.crypto sets openpgp.max.compression.depth, which belongs to"
                        + " org.mailslot.openpgp now: move it to etc/org.mailslot.openpgp.cfg (it is read from"
                        + " org.mailslot.crypto while org.mailslot.openpgp does not set it)");
    }

    @Test
    void anOldPidWithoutMovedPropertiesIsNotWarnedAbout() {
        assertThat(openpgp.warnings(Map.of("default.encrypt", "required", "service.pid", "org.mailslot.crypto")))
                .isEmpty();
    }
}
