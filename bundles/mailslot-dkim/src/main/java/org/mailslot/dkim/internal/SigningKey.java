package org.mailslot.dkim.internal;

import java.security.PrivateKey;
import java.util.Objects;

import org.mailslot.api.dkim.DkimAlgorithm;

/**
 * A private key ready to sign for a domain with a selector.
 *
 * @param domain the d= value, lower case
 * @param selector the s= value
 * @param algorithm the algorithm of the key
 * @param key the private key
 */
record SigningKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey key) {

    SigningKey {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return algorithm.tag() + " " + selector + "._domainkey." + domain;
    }
}
