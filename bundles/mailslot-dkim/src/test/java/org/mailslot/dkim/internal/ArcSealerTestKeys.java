package org.mailslot.dkim.internal;

import org.mailslot.api.dkim.DkimAlgorithm;

/** Sealing keys made for a test, their records put where its lookups find them. */
final class ArcSealerTestKeys {

    private ArcSealerTestKeys() {
    }

    static SigningKey key(MapKeyLookup dns, String domain, String selector, DkimAlgorithm algorithm) throws Exception {
        KeyFile file = KeyFile.generate(algorithm);
        dns.records.put(selector + "._domainkey." + domain, file.dnsRecord());
        return new SigningKey(domain, selector, file.algorithm(), file.privateKey());
    }
}
