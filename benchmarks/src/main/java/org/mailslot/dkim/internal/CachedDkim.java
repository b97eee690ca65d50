package org.mailslot.dkim.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mailslot.api.dkim.ArcVerifier;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimVerifier;
import org.mailslot.api.dkim.SignatureVerifier;
import org.mailslot.api.mail.MessageSource;
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

    /** The forwarder whose ARC set {@link #sign} adds when asked to. */
    public static final String FORWARDER = "forwarder.example";

    private final byte[] signed;
    private final DkimVerifier verifier;
    private final ArcVerifier arcVerifier;
    private final SignatureVerifier signatureVerifier;

    private CachedDkim(byte[] signed, DkimVerifier verifier, ArcVerifier arcVerifier,
            SignatureVerifier signatureVerifier) {
        this.signed = signed;
        this.verifier = verifier;
        this.arcVerifier = arcVerifier;
        this.signatureVerifier = signatureVerifier;
    }

    /**
     * @param domain the signing domain
     * @param message the message to sign, CRLF
     * @param algorithms one signature per algorithm, selectors named after them
     */
    public static CachedDkim sign(String domain, byte[] message, List<DkimAlgorithm> algorithms) throws Exception {
        return sign(domain, message, algorithms, false);
    }

    /**
     * @param sealed whether {@link #FORWARDER} then adds an ARC set (RSA 2048) over the signed message, with
     *     its own Authentication-Results field (as a forwarder that checked it writes)
     */
    public static CachedDkim sign(String domain, byte[] message, List<DkimAlgorithm> algorithms, boolean sealed)
            throws Exception {
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
        KeyFile arcKey = KeyFile.generate(DkimAlgorithm.RSA_SHA256);
        records.put("arc._domainkey." + FORWARDER, arcKey.dnsRecord());
        KeyLookup cached = cachedKeys(records, clock);
        if (sealed) {
            byte[] results = ("Authentication-Results: " + FORWARDER + "; dkim=pass header.d=" + domain + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] checked = concat(results, signed);
            ArcSealer.Outcome outcome = new ArcSealer(cached, clock).seal(MessageSource.of(checked),
                    new SigningKey(FORWARDER, "arc", DkimAlgorithm.RSA_SHA256, arcKey.privateKey()), FORWARDER);
            signed = concat(((ArcSealer.Sealed) outcome).fields(), checked);
        }
        Verifier verifier = new Verifier(cached, clock);
        return new CachedDkim(signed, verifier::verify, new ArcChainVerifier(cached), new MessageVerifier(cached, clock));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
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

    /** @return DKIM and ARC in one reading, keys cached */
    public SignatureVerifier signatureVerifier() {
        return signatureVerifier;
    }

    /** @return the verifier, keys cached */
    public DkimVerifier verifier() {
        return verifier;
    }
}
