package org.mailslot.dkim.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.ArcVerifier;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.mail.MessageSource;

/**
 * RFC 8617 section 5.2: the ARC sets are numbered 1 to N with one ARC-Authentication-Results,
 * ARC-Message-Signature and ARC-Seal each (N at most 50); seal 1 says {@code cv=none}, every later
 * one {@code cv=pass}; the newest message signature verifies as a DKIM signature does; each seal
 * verifies over the sets up to its own, in order, relaxed. Thread-safe.
 */
final class ArcChainVerifier implements ArcVerifier {

    static final int MAX_INSTANCES = 50;

    static final String AAR = "ARC-Authentication-Results";
    static final String AMS = "ARC-Message-Signature";
    static final String AS = "ARC-Seal";

    private final KeyLookup keys;
    private final KeyRecords records;

    ArcChainVerifier(KeyLookup keys) {
        this(keys, new KeyRecords());
    }

    ArcChainVerifier(KeyLookup keys, KeyRecords records) {
        this.keys = keys;
        this.records = records;
    }

    @Override
    public ArcVerification verify(MessageSource message) throws IOException {
        try (InputStream in = new BufferedInputStream(message.open(), 8192)) {
            return verify(in);
        }
    }

    /** A chain that cannot be followed. */
    private static final class Broken extends Exception {
        private static final long serialVersionUID = 1L;

        Broken(String reason) {
            super(reason, null, false, false);
        }
    }

    record ArcSet(HeaderField results, HeaderField signature, HeaderField seal) {
    }

    ArcVerification verify(InputStream in) throws IOException {
        HeaderSection headers = HeaderSection.read(in);
        BodyHashes bodies = new BodyHashes();
        Pending pending = prepare(headers, bodies);
        bodies.read(in);
        return finish(pending, bodies);
    }

    /**
     * A chain as its header fields describe it: decided already (none, or broken in its structure), or
     * waiting for the body hash its newest message signature asked for.
     */
    record Pending(ArcVerification decided, HeaderSection headers, ArcSet[] chain, int count, String sealer,
            Map<String, String> signatureTags, Canonicalization headerCanonicalization, BodyHashes.Key body) {
    }

    /** Checks the chain's structure and asks {@code bodies} for the newest message signature's body hash. */
    Pending prepare(HeaderSection headers, BodyHashes bodies) {
        if (headers.named(AAR).isEmpty() && headers.named(AMS).isEmpty() && headers.named(AS).isEmpty()) {
            return decided(new ArcVerification(ArcResult.NONE, 0, "", ""));
        }
        String sealer = "";
        int count = 0;
        try {
            Map<Integer, HeaderField[]> sets = new HashMap<>();
            collect(sets, headers.named(AAR), 0);
            collect(sets, headers.named(AMS), 1);
            collect(sets, headers.named(AS), 2);
            count = sets.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (count > MAX_INSTANCES) {
                throw new Broken(count + " ARC sets, more than " + MAX_INSTANCES);
            }
            ArcSet[] chain = new ArcSet[count + 1];
            for (int i = 1; i <= count; i++) {
                HeaderField[] set = sets.get(i);
                if (set == null || set[0] == null || set[1] == null || set[2] == null) {
                    throw new Broken("ARC set i=" + i + " is incomplete");
                }
                chain[i] = new ArcSet(set[0], set[1], set[2]);
                String cv = tags(set[2]).getOrDefault("cv", "");
                String expected = i == 1 ? "none" : "pass";
                if (!cv.equalsIgnoreCase(expected)) {
                    throw new Broken("ARC-Seal i=" + i + " says cv=" + cv + ", not " + expected);
                }
            }
            sealer = tags(chain[count].seal()).getOrDefault("d", "").toLowerCase(Locale.ROOT);
            Map<String, String> signatureTags = tags(chain[count].signature());
            Canonicalization[] canonicalizations = canonicalizations(signatureTags.getOrDefault("c", "simple/simple"));
            return new Pending(null, headers, chain, count, sealer, signatureTags, canonicalizations[0],
                    bodies.want(canonicalizations[1], Long.MAX_VALUE));
        } catch (Broken e) {
            return decided(new ArcVerification(ArcResult.FAIL, count, sealer, e.getMessage()));
        }
    }

    private static Pending decided(ArcVerification verification) {
        return new Pending(verification, null, null, 0, "", Map.of(), null, null);
    }

    /** @return the verdict, once {@code bodies} has read the body */
    ArcVerification finish(Pending pending, BodyHashes bodies) {
        if (pending.decided() != null) {
            return pending.decided();
        }
        try {
            verifyMessageSignature(pending, bodies.of(pending.body()));
            for (int i = pending.count(); i >= 1; i--) {
                verifySeal(pending.chain(), i);
            }
            return new ArcVerification(ArcResult.PASS, pending.count(), pending.sealer(), "");
        } catch (Broken e) {
            return new ArcVerification(ArcResult.FAIL, pending.count(), pending.sealer(), e.getMessage());
        }
    }

    private static void collect(Map<Integer, HeaderField[]> sets, List<HeaderField> fields, int slot) throws Broken {
        for (HeaderField field : fields) {
            int instance = instance(field);
            HeaderField[] set = sets.computeIfAbsent(instance, i -> new HeaderField[3]);
            if (set[slot] != null) {
                throw new Broken("two " + field.name() + " fields with i=" + instance);
            }
            set[slot] = field;
        }
    }

    private static int instance(HeaderField field) throws Broken {
        OptionalInt instance = instanceOf(field);
        if (instance.isEmpty()) {
            throw new Broken(field.name() + " without a valid i=");
        }
        return instance.getAsInt();
    }

    /** @return the i= of an ARC field, empty when it has no valid one */
    static OptionalInt instanceOf(HeaderField field) {
        String value = field.value();
        String i;
        try {
            i = field.named(AAR) ? TagList.parse(value.substring(0, Math.max(0, value.indexOf(';')))).get("i")
                    : TagList.parse(value).get("i");
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
        return i != null && i.matches("[1-9][0-9]{0,2}") ? OptionalInt.of(Integer.parseInt(i)) : OptionalInt.empty();
    }

    /** @return whether the field is one of an ARC set's */
    static boolean isArcField(HeaderField field) {
        return field.named(AAR) || field.named(AMS) || field.named(AS);
    }

    private static Map<String, String> tags(HeaderField field) throws Broken {
        try {
            return TagList.parse(field.value());
        } catch (IllegalArgumentException e) {
            throw new Broken(field.name() + ": " + e.getMessage());
        }
    }

    private void verifyMessageSignature(Pending pending, byte[] computedBodyHash) throws Broken {
        HeaderField field = pending.chain()[pending.count()].signature();
        Map<String, String> tags = pending.signatureTags();
        if (!MessageDigest.isEqual(computedBodyHash, base64(tags, "bh", field))) {
            throw new Broken("ARC-Message-Signature i=" + instance(field) + ": body hash mismatch");
        }
        List<String> names = Arrays.stream(tags.getOrDefault("h", "").split(":")).map(TagList::compact)
                .filter(n -> !n.isEmpty()).toList();
        if (names.stream().anyMatch(n -> n.equalsIgnoreCase(AS))) {
            throw new Broken("ARC-Message-Signature signs ARC-Seal");
        }
        byte[] data = HeaderHash.data(pending.headers().fields(), names, pending.headerCanonicalization(),
                ParsedSignature.withoutSignature(field), field);
        check(field, tags, data);
    }

    /** Seal i signs the sets 1 to i, each results, message signature, seal, relaxed, its own without b=. */
    private void verifySeal(ArcSet[] chain, int i) throws Broken {
        HeaderField seal = chain[i].seal();
        Map<String, String> tags = tags(seal);
        if (tags.containsKey("h")) {
            throw new Broken("ARC-Seal i=" + i + " has h=");
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream(2048);
        for (int k = 1; k <= i; k++) {
            data.writeBytes(Canonicalization.RELAXED.header(chain[k].results().raw()));
            data.writeBytes(Canonicalization.RELAXED.header(chain[k].signature().raw()));
            if (k < i) {
                data.writeBytes(Canonicalization.RELAXED.header(chain[k].seal().raw()));
            }
        }
        data.writeBytes(Canonicalization.RELAXED.headerWithoutCrlf(ParsedSignature.withoutSignature(seal)));
        check(seal, tags, data.toByteArray());
    }

    private void check(HeaderField field, Map<String, String> tags, byte[] data) throws Broken {
        String what = field.name() + " i=" + tags.get("i");
        Optional<DkimAlgorithm> algorithm = DkimAlgorithm.ofTag(tags.getOrDefault("a", ""));
        String domain = tags.getOrDefault("d", "");
        String selector = tags.getOrDefault("s", "");
        if (algorithm.isEmpty() || domain.isEmpty() || selector.isEmpty()) {
            throw new Broken(what + ": a=, d= or s= missing or unknown");
        }
        KeyAnswer answer = keys.lookup(selector + "._domainkey." + domain);
        if (answer.kind() != KeyAnswer.Kind.FOUND) {
            throw new Broken(what + ": " + answer.detail());
        }
        KeyRecord key;
        try {
            key = records.first(answer.records());
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null || key.algorithm() != algorithm.get()) {
            throw new Broken(what + ": no usable " + algorithm.get().keyType() + " key at " + selector + "._domainkey." + domain);
        }
        try {
            if (!SignatureAlgorithms.verify(key, data, base64(tags, "b", field))) {
                throw new Broken(what + ": signature does not verify");
            }
        } catch (GeneralSecurityException e) {
            throw new Broken(what + ": signature does not verify: " + e.getMessage());
        }
    }

    private static Canonicalization[] canonicalizations(String c) throws Broken {
        String[] parts = c.split("/", -1);
        Optional<Canonicalization> header = Canonicalization.ofTag(parts[0].strip());
        Optional<Canonicalization> body = Canonicalization.ofTag(parts.length > 1 ? parts[1].strip() : "simple");
        if (header.isEmpty() || body.isEmpty() || parts.length > 2) {
            throw new Broken("unknown canonicalization c=" + c);
        }
        return new Canonicalization[] {header.get(), body.get()};
    }

    private static byte[] base64(Map<String, String> tags, String name, HeaderField field) throws Broken {
        try {
            return Base64.getDecoder().decode(TagList.compact(tags.getOrDefault(name, "")));
        } catch (IllegalArgumentException e) {
            throw new Broken(field.name() + ": " + name + "= is not base64");
        }
    }
}
