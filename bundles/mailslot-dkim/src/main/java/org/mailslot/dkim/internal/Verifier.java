package org.mailslot.dkim.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.api.dkim.DkimVerifier;
import org.mailslot.api.mail.MessageSource;

/**
 * Verifies every DKIM-Signature of a message: the body is read once, feeding one hasher per
 * distinct body canonicalization and l= among the signatures; keys come from a {@link KeyLookup}.
 * Thread-safe.
 */
final class Verifier implements DkimVerifier {

    private static final int MAX_PARSED = 1000;

    private final KeyLookup keys;
    private final Clock clock;
    private final java.util.concurrent.ConcurrentHashMap<String, KeyRecord> parsedRecords =
            new java.util.concurrent.ConcurrentHashMap<>();

    Verifier(KeyLookup keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public DkimVerification verify(MessageSource message) throws IOException {
        try (InputStream in = new BufferedInputStream(message.open(), 8192)) {
            return verify(in);
        }
    }

    DkimVerification verify(InputStream in) throws IOException {
        HeaderSection headers = HeaderSection.read(in);
        List<HeaderField> signatureFields = headers.named("DKIM-Signature");
        if (signatureFields.isEmpty()) {
            return new DkimVerification(List.of());
        }
        List<Object> parsed = new ArrayList<>();
        Map<String, BodyHasher> hashers = new LinkedHashMap<>();
        for (HeaderField field : signatureFields) {
            try {
                ParsedSignature signature = ParsedSignature.parse(field);
                hashers.computeIfAbsent(bodyKey(signature),
                        k -> new BodyHasher(signature.bodyCanonicalization(), signature.bodyLimit()));
                parsed.add(signature);
            } catch (ParsedSignature.Malformed e) {
                parsed.add(e);
            }
        }
        Map<String, byte[]> bodyHashes = new LinkedHashMap<>();
        if (!hashers.isEmpty()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0;) {
                for (BodyHasher hasher : hashers.values()) {
                    hasher.update(buffer, 0, n);
                }
            }
            hashers.forEach((key, hasher) -> bodyHashes.put(key, hasher.finish()));
        }
        List<DkimSignatureResult> results = new ArrayList<>();
        for (Object item : parsed) {
            if (item instanceof ParsedSignature.Malformed malformed) {
                results.add(new DkimSignatureResult(malformed.domain, malformed.selector,
                        DkimAlgorithm.ofTag(malformed.algorithmTag), malformed.algorithmTag, DkimResult.NEUTRAL,
                        malformed.getMessage(), malformed.headerB));
            } else {
                ParsedSignature signature = (ParsedSignature) item;
                results.add(evaluate(signature, headers, bodyHashes.get(bodyKey(signature))));
            }
        }
        return new DkimVerification(results);
    }

    private static String bodyKey(ParsedSignature signature) {
        return signature.bodyCanonicalization() + "/" + signature.bodyLimit();
    }

    private DkimSignatureResult evaluate(ParsedSignature signature, HeaderSection headers, byte[] bodyHash) {
        long now = clock.instant().getEpochSecond();
        if (signature.expiry().isPresent() && signature.expiry().get() < now) {
            return result(signature, DkimResult.NEUTRAL, "signature expired (x=" + signature.expiry().get() + ")");
        }
        String name = signature.selector() + "._domainkey." + signature.domain();
        KeyAnswer answer = keys.lookup(name);
        switch (answer.kind()) {
            case FAILED:
                return result(signature, DkimResult.TEMPERROR, answer.detail());
            case MISSING:
                return result(signature, DkimResult.PERMERROR, answer.detail());
            default:
                break;
        }
        KeyRecord key;
        try {
            key = keyRecord(answer.records());
        } catch (IllegalArgumentException e) {
            return result(signature, DkimResult.PERMERROR, e.getMessage());
        }
        if (key.algorithm() != signature.algorithm()) {
            return result(signature, DkimResult.PERMERROR, "key record k=" + key.algorithm().keyType()
                    + " does not fit a=" + signature.algorithm().tag());
        }
        if (key.strictIdentity() && !signature.identityDomain().equals(signature.domain())) {
            return result(signature, DkimResult.PERMERROR, "key record t=s requires i= in exactly d=");
        }
        if (!java.security.MessageDigest.isEqual(bodyHash, signature.bodyHash())) {
            return result(signature, DkimResult.FAIL, "body hash mismatch");
        }
        byte[] data = HeaderHash.data(headers.fields(), signature.signedNames(), signature.headerCanonicalization(),
                signature.fieldWithoutSignature(), signature.field());
        try {
            if (!SignatureAlgorithms.verify(key, data, signature.signature())) {
                return result(signature, DkimResult.FAIL, "signature does not verify");
            }
        } catch (GeneralSecurityException e) {
            return result(signature, DkimResult.FAIL, "signature does not verify: " + e.getMessage());
        }
        return result(signature, DkimResult.PASS, key.testing() ? "key in testing mode (t=y)" : "");
    }

    /** The first record that is a valid key; the first record's problem if none is. */
    private KeyRecord keyRecord(List<String> records) {
        IllegalArgumentException first = null;
        for (String record : records) {
            try {
                return parsed(record);
            } catch (IllegalArgumentException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /** Parsed keys by record text: decoding a key costs more than using it. */
    private KeyRecord parsed(String record) {
        KeyRecord known = parsedRecords.get(record);
        if (known != null) {
            return known;
        }
        KeyRecord key = KeyRecord.parse(record);
        if (parsedRecords.size() >= MAX_PARSED) {
            parsedRecords.clear();
        }
        parsedRecords.put(record, key);
        return key;
    }

    private static DkimSignatureResult result(ParsedSignature signature, DkimResult result, String reason) {
        return new DkimSignatureResult(signature.domain(), signature.selector(), Optional.of(signature.algorithm()),
                signature.algorithm().tag(), result, reason, signature.headerB());
    }
}
