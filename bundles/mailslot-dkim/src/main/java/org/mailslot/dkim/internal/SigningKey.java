package org.mailslot.dkim.internal;

import java.security.PrivateKey;
import java.util.Objects;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.mailslot.api.dkim.DkimAlgorithm;

/**
 * A private key ready to sign for a domain with a selector.
 *
 * @param domain the d= value, lower case
 * @param selector the s= value
 * @param algorithm the algorithm of the key
 * @param key the private key
 * @param ed25519 the same key for Bouncy Castle's Ed25519 (which signs several times faster than the
 *     JDK 17's); null for RSA. It keeps its public key once computed, so it is made once per key file.
 */
record SigningKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey key,
        Ed25519PrivateKeyParameters ed25519) {

    SigningKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey key) {
        this(domain, selector, algorithm, key, KeyFile.ed25519(algorithm, key));
    }

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
