package org.mailslot.dkim.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
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

    private final KeyLookup keys;
    private final Clock clock;
    private final KeyRecords records;

    Verifier(KeyLookup keys, Clock clock) {
        this(keys, clock, new KeyRecords());
    }

    Verifier(KeyLookup keys, Clock clock, KeyRecords records) {
        this.keys = keys;
        this.clock = clock;
        this.records = records;
    }

    @Override
    public DkimVerification verify(MessageSource message) throws IOException {
        try (InputStream in = new BufferedInputStream(message.open(), DkimSigner.HEADER_BUFFER)) {
            return verify(in);
        }
    }

    DkimVerification verify(InputStream in) throws IOException {
        HeaderSection headers = HeaderSection.read(in);
        BodyHashes bodies = new BodyHashes();
        Pending pending = prepare(headers, bodies);
        bodies.read(in);
        return finish(pending, bodies);
    }

    /** The signature fields of a message, parsed (or why not), and the body hash each asked for. */
    record Pending(HeaderSection headers, List<Object> parsed, Map<ParsedSignature, BodyHashes.Key> bodyHashes) {
    }

    /** Parses the DKIM-Signature fields and asks {@code bodies} for the body hashes they need. */
    Pending prepare(HeaderSection headers, BodyHashes bodies) {
        List<Object> parsed = new ArrayList<>();
        Map<ParsedSignature, BodyHashes.Key> bodyHashes = new IdentityHashMap<>();
        for (HeaderField field : headers.named("DKIM-Signature")) {
            try {
                ParsedSignature signature = ParsedSignature.parse(field);
                bodyHashes.put(signature, bodies.want(signature.bodyCanonicalization(), signature.bodyLimit()));
                parsed.add(signature);
            } catch (ParsedSignature.Malformed e) {
                parsed.add(e);
            }
        }
        return new Pending(headers, parsed, bodyHashes);
    }

    /** @return the results, once {@code bodies} has read the body */
    DkimVerification finish(Pending pending, BodyHashes bodies) {
        List<DkimSignatureResult> results = new ArrayList<>();
        for (Object item : pending.parsed()) {
            if (item instanceof ParsedSignature.Malformed malformed) {
                results.add(new DkimSignatureResult(malformed.domain, malformed.selector,
                        DkimAlgorithm.ofTag(malformed.algorithmTag), malformed.algorithmTag, DkimResult.NEUTRAL,
                        malformed.getMessage(), malformed.headerB));
            } else {
                ParsedSignature signature = (ParsedSignature) item;
                results.add(evaluate(signature, pending.headers(), bodies.of(pending.bodyHashes().get(signature))));
            }
        }
        return new DkimVerification(results);
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
            key = records.first(answer.records());
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

    private static DkimSignatureResult result(ParsedSignature signature, DkimResult result, String reason) {
        return new DkimSignatureResult(signature.domain(), signature.selector(), Optional.of(signature.algorithm()),
                signature.algorithm().tag(), result, reason, signature.headerB());
    }
}
