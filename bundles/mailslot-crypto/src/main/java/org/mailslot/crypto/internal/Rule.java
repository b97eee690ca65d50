package org.mailslot.crypto.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.crypto.CryptoTechnology;

/**
 * One {@code rule.<name>} of the configuration: the targets it names and the settings it makes;
 * a setting it leaves out comes from a less specific rule or the defaults.
 */
record Rule(String name, List<Target> targets, Optional<EncryptRule> encrypt, Optional<SignRule> sign,
        Optional<CryptoTechnology> technology) {

    Rule {
        Objects.requireNonNull(name, "name");
        targets = List.copyOf(targets);
        Objects.requireNonNull(encrypt, "encrypt");
        Objects.requireNonNull(sign, "sign");
        Objects.requireNonNull(technology, "technology");
    }
}
