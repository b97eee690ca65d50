package org.mailslot.api.dkim;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A configured signing key: a domain and selector, and whether its key file could be read.
 * Immutable.
 *
 * @param domain the signing domain ({@code d=}), lower case
 * @param selector the selector ({@code s=})
 * @param algorithm the algorithm the key signs with, empty while the key cannot be read
 * @param keyFile the PKCS#8 PEM file of the private key
 * @param dnsRecord the TXT record to publish at {@code selector._domainkey.domain}; empty while
 *     the key cannot be read
 * @param problem why the key cannot be used (missing, unreadable, malformed), empty when it can
 */
@ProviderType
public record DkimKey(String domain, String selector, Optional<DkimAlgorithm> algorithm, Path keyFile,
        String dnsRecord, Optional<String> problem) {

    public DkimKey {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyFile, "keyFile");
        dnsRecord = dnsRecord == null ? "" : dnsRecord;
        Objects.requireNonNull(problem, "problem");
    }

    /** @return the DNS name the record is published at: {@code selector._domainkey.domain} */
    public String dnsName() {
        return selector + "._domainkey." + domain;
    }
}
