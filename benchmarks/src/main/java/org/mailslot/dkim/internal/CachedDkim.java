package org.mailslot.dkim.internal;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mailslot.api.dkim.ArcVerifier;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimVerifier;
import org.mailslot.support.dns.CachingDnsQuery;
import org.mailslot.support.dns.DnsAnswer;
import org.mailslot.support.dns.DnsQuery;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

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
        KeyLookup cached = cachedKeys(records, clock);
        Verifier verifier = new Verifier(cached, clock);
        return new CachedDkim(signed, verifier::verify, new ArcChainVerifier(cached));
    }

    /**
     * @return key lookups as the verifier makes them in production (TXT records through the shared DNS
     *     cache), answered from the map instead of a server
     */
    static KeyLookup cachedKeys(Map<String, String> records, Clock clock) {
        DnsQuery dns = (name, type) -> {
            String record = records.get(name);
            if (record == null) {
                return DnsAnswer.nxdomain();
            }
            List<String> strings = new ArrayList<>();
            for (int at = 0; at < record.length(); at += 255) {
                strings.add(record.substring(at, Math.min(record.length(), at + 255)));
            }
            try {
                return DnsAnswer.found(List.of(new TXTRecord(Name.fromString(name + "."), DClass.IN, 3600, strings)), 3600);
            } catch (TextParseException e) {
                throw new IllegalArgumentException(e);
            }
        };
        return new DnsKeyLookup(new CachingDnsQuery(dns, clock));
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
