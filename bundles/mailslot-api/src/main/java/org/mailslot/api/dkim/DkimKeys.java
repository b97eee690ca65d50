package org.mailslot.api.dkim;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The DKIM signing keys: each is a key file under {@code etc/mailslot/dkim/} and a factory
 * configuration ({@code org.mailslot.dkim}) naming its domain and selector.
 *
 * <p><b>Threading.</b> Thread-safe. <b>Failure.</b> Bad arguments are {@link IllegalArgumentException}s
 * that name the argument; problems with an existing key are reported in {@link DkimKey#problem()}.
 */
@ProviderType
public interface DkimKeys {

    /** @return every configured key, sorted by domain and selector */
    List<DkimKey> keys();

    /**
     * Generates a key (RSA 2048 or Ed25519), writes it as PKCS#8 PEM readable only by its owner,
     * and configures signing with it; signing for the domain with that selector starts at once.
     *
     * @param domain the signing domain
     * @param selector the selector
     * @param algorithm the algorithm
     * @return the new key, with the DNS record to publish
     * @throws IllegalArgumentException if the domain or selector is not a valid DNS label sequence,
     *     or a key for that domain and selector exists already
     * @throws IOException if the key or its configuration cannot be written
     */
    DkimKey generate(String domain, String selector, DkimAlgorithm algorithm) throws IOException;

    /**
     * Looks up the published key record of a configured key and compares it with the key.
     *
     * @param domain the signing domain
     * @param selector the selector
     * @return the comparison
     * @throws IllegalArgumentException if no key is configured for that domain and selector
     */
    DkimKeyCheck check(String domain, String selector);
}
