package org.mailslot.dkim.internal;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.mailslot.api.dkim.ArcVerifier;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimVerifier;

/**
 * mailslot-dkim's signer and verifier for benchmarks outside its package ({@code sender-auth.sh}):
 * a message signed with fresh keys, and the DKIM and ARC verifiers over the key cache as the
 * components use it, filled from the records those keys publish.
 */
public final class CachedDkim {

    private final byte[] signed;
    private final DkimVerifier verifier;
    private final ArcVerifier arcVerifier;

    private CachedDkim(byte[] signed, DkimVerifier verifier, ArcVerifier arcVerifier) {
        this.signed = signed;
        this.verifier = verifier;
        this.arcVerifier = arcVerifier;
    }

    /**
     * @param domain the signing domain
     * @param message the message to sign, CRLF
     * @param algorithms one signature per algorithm, selectors named after them
     */
    public static CachedDkim sign(String domain, byte[] message, List<DkimAlgorithm> algorithms) throws Exception {
        Clock clock = Clock.systemUTC();
        Map<String, String> records = new java.util.HashMap<>();
        List<SigningKey> keys = new java.util.ArrayList<>();
        for (DkimAlgorithm algorithm : algorithms) {
            KeyFile key = KeyFile.generate(algorithm);
            String selector = algorithm.keyType();
            records.put(selector + "._domainkey." + domain, key.dnsRecord());
            keys.add(new SigningKey(domain, selector, algorithm, key.privateKey()));
        }
        byte[] fields = new DkimSigner(Canonicalization.RELAXED, Canonicalization.RELAXED, clock)
                .sign(new ByteArrayInputStream(message), keys);
        byte[] signed = new byte[fields.length + message.length];
        System.arraycopy(fields, 0, signed, 0, fields.length);
        System.arraycopy(message, 0, signed, fields.length, message.length);
        KeyLookup cached = new CachingKeyLookup(name -> {
            String record = records.get(name);
            return record == null ? KeyAnswer.missing("none") : KeyAnswer.found(List.of(record), 3600);
        }, clock);
        Verifier verifier = new Verifier(cached, clock);
        return new CachedDkim(signed, verifier::verify, new ArcChainVerifier(cached));
    }

    /** @return the signed message */
    public byte[] signed() {
        return signed;
    }

    /** @return the ARC chain verifier over the same keys */
    public ArcVerifier arcVerifier() {
        return arcVerifier;
    }

    /** @return the verifier, keys cached */
    public DkimVerifier verifier() {
        return verifier;
    }
}
