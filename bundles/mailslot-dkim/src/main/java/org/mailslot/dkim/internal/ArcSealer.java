package org.mailslot.dkim.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.AuthservId;

/**
 * Adds the next ARC set to a message (RFC 8617 section 5.1): ARC-Authentication-Results copied from
 * the sealer's own Authentication-Results, an ARC-Message-Signature over the body and the usual
 * header fields (relaxed/relaxed), and an ARC-Seal whose {@code cv=} is the state of the chain as
 * found. A chain whose newest seal already says {@code cv=fail}, or that has the most sets there may
 * be, is not sealed again; a chain that fails here is sealed with {@code cv=fail} over the new set only
 * (section 5.1.2). Thread-safe.
 */
final class ArcSealer {

    /** The fields the message signature covers: DKIM's, and the DKIM signatures. */
    static final List<String> SIGNED_FIELDS;

    static {
        List<String> names = new ArrayList<>(DkimSigner.SIGNED_FIELDS);
        names.add("dkim-signature");
        SIGNED_FIELDS = List.copyOf(names);
    }

    private static final String RESULTS = "Authentication-Results";

    /** What became of a message. */
    sealed interface Outcome {
    }

    /**
     * @param fields the new set, ARC-Seal on top, each field with its CRLF, to put before the message
     * @param instance its i=
     * @param cv the chain's state the seal vouches for
     */
    record Sealed(byte[] fields, int instance, String cv) implements Outcome {
    }

    /** Nothing to add, and why (no results of ours, a chain that ended). */
    record Unsealed(String reason) implements Outcome {
    }

    /** The chain could not be judged now (a key lookup got no answer): try again later. */
    record Retry(String reason) implements Outcome {
    }

    private final KeyLookup keys;
    private final Clock clock;

    ArcSealer(KeyLookup keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * @param message the message as it leaves, read twice (the chain, then the new set)
     * @param key the sealing key
     * @param authservId whose Authentication-Results fields the ARC-Authentication-Results copies
     */
    Outcome seal(MessageSource message, SigningKey key, String authservId) throws IOException,
            GeneralSecurityException {
        try (InputStream in = new BufferedInputStream(message.open(), 65536)) {
            HeaderSection headers = HeaderSection.read(in);
            List<HeaderField> results = headers.named(RESULTS).stream()
                    .filter(field -> AuthservId.claims(field.value(), authservId)).toList();
            if (results.isEmpty()) {
                return new Unsealed("no Authentication-Results of " + authservId);
            }
            TreeMap<Integer, List<HeaderField>> sets = sets(headers);
            int newest = sets.isEmpty() ? 0 : sets.lastKey();
            if (newest >= ArcChainVerifier.MAX_INSTANCES) {
                return new Unsealed("the ARC chain has " + newest + " sets, the most there may be");
            }
            if (newest > 0 && "fail".equalsIgnoreCase(newestCv(sets.get(newest)))) {
                return new Unsealed("the ARC chain ended: ARC-Seal i=" + newest + " says cv=fail");
            }
            TemporaryFailures lookups = new TemporaryFailures(keys);
            ArcVerification chain = new ArcChainVerifier(lookups).verify(message);
            if (chain.result() == ArcResult.FAIL && lookups.failure != null) {
                return new Retry("the ARC chain cannot be verified now: " + lookups.failure);
            }
            if (newest == 0 && chain.result() != ArcResult.NONE) {
                return new Unsealed("the ARC fields carry no valid instance");
            }
            String cv = chain.result().keyword();
            int instance = newest + 1;
            long now = clock.instant().getEpochSecond();
            List<HeaderField> earlier = new ArrayList<>();
            if (chain.result() == ArcResult.PASS) {
                sets.values().forEach(set -> earlier.addAll(inSetOrder(set)));
            }
            byte[] aar = results(instance, results).getBytes(StandardCharsets.UTF_8);
            byte[] ams = messageSignature(headers, in, key, instance, now);
            byte[] as = seal(earlier, aar, ams, key, instance, cv, now);
            ByteArrayOutputStream fields = new ByteArrayOutputStream(as.length + ams.length + aar.length + 6);
            for (byte[] field : List.of(as, ams, aar)) {
                fields.writeBytes(field);
                fields.writeBytes(CRLF);
            }
            return new Sealed(fields.toByteArray(), instance, cv);
        }
    }

    /** The ARC-Message-Signature: relaxed/relaxed over the body (read here) and the signed fields. */
    private static byte[] messageSignature(HeaderSection headers, InputStream body, SigningKey key, int instance,
            long now) throws IOException, GeneralSecurityException {
        BodyHasher hasher = new BodyHasher(Canonicalization.RELAXED);
        byte[] buffer = new byte[65536];
        for (int n; (n = body.read(buffer)) > 0;) {
            hasher.update(buffer, 0, n);
        }
        List<String> names = signedNames(headers);
        String unsigned = SignatureField.unsigned(ArcChainVerifier.AMS, List.of("i=" + instance,
                "a=" + key.algorithm().tag(), "c=relaxed/relaxed", "d=" + key.domain(), "s=" + key.selector(),
                "t=" + now, "h=" + String.join(":", names),
                "bh=" + Base64.getEncoder().encodeToString(hasher.finish())));
        byte[] data = HeaderHash.data(headers.fields(), names, Canonicalization.RELAXED,
                unsigned.getBytes(StandardCharsets.US_ASCII), null);
        return SignatureField.signed(unsigned, SignatureAlgorithms.sign(key, data)).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The ARC-Seal: relaxed over the earlier sets (none when the chain failed), then the new results and
     * message signature, then itself without b= (section 5.1.1).
     */
    private static byte[] seal(List<HeaderField> earlier, byte[] aar, byte[] ams, SigningKey key, int instance,
            String cv, long now) throws GeneralSecurityException {
        String unsigned = SignatureField.unsigned(ArcChainVerifier.AS, List.of("i=" + instance, "cv=" + cv,
                "a=" + key.algorithm().tag(), "d=" + key.domain(), "s=" + key.selector(), "t=" + now));
        ByteArrayOutputStream data = new ByteArrayOutputStream(4096);
        for (HeaderField field : earlier) {
            data.writeBytes(Canonicalization.RELAXED.header(field.raw()));
        }
        data.writeBytes(Canonicalization.RELAXED.header(aar));
        data.writeBytes(Canonicalization.RELAXED.header(ams));
        data.writeBytes(Canonicalization.RELAXED.headerWithoutCrlf(unsigned.getBytes(StandardCharsets.US_ASCII)));
        return SignatureField.signed(unsigned, SignatureAlgorithms.sign(key, data.toByteArray()))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** The ARC fields by instance; fields without a valid i= are left out (the chain then fails). */
    private static TreeMap<Integer, List<HeaderField>> sets(HeaderSection headers) {
        TreeMap<Integer, List<HeaderField>> sets = new TreeMap<>();
        for (HeaderField field : headers.fields()) {
            if (ArcChainVerifier.isArcField(field)) {
                OptionalInt instance = ArcChainVerifier.instanceOf(field);
                if (instance.isPresent()) {
                    sets.computeIfAbsent(instance.getAsInt(), i -> new ArrayList<>()).add(field);
                }
            }
        }
        return sets;
    }

    private static String newestCv(List<HeaderField> set) {
        for (HeaderField field : set) {
            if (field.named(ArcChainVerifier.AS)) {
                try {
                    return TagList.parse(field.value()).getOrDefault("cv", "");
                } catch (IllegalArgumentException e) {
                    return "";
                }
            }
        }
        return "";
    }

    /** A set as a seal signs it: results, message signature, seal. */
    private static List<HeaderField> inSetOrder(List<HeaderField> set) {
        List<HeaderField> ordered = new ArrayList<>(3);
        for (String name : List.of(ArcChainVerifier.AAR, ArcChainVerifier.AMS, ArcChainVerifier.AS)) {
            set.stream().filter(field -> field.named(name)).forEach(ordered::add);
        }
        return ordered;
    }

    /**
     * The ARC-Authentication-Results field: i=, then the first field's authserv-id and results, with
     * the results of any further field of ours after them.
     */
    static String results(int instance, List<HeaderField> ours) {
        StringBuilder field = new StringBuilder(ArcChainVerifier.AAR).append(": i=").append(instance).append("; ")
                .append(valueOf(ours.get(0)).strip());
        for (HeaderField more : ours.subList(1, ours.size())) {
            String value = valueOf(more);
            int semicolon = value.indexOf(';');
            String rest = semicolon < 0 ? "" : value.substring(semicolon + 1).strip();
            if (!rest.isEmpty() && !rest.toLowerCase(Locale.ROOT).equals("none")) {
                field.append(";\r\n\t").append(rest);
            }
        }
        return field.toString();
    }

    /** The value as written, folding kept. */
    private static String valueOf(HeaderField field) {
        String raw = new String(field.raw(), StandardCharsets.UTF_8);
        return raw.substring(raw.indexOf(':') + 1);
    }

    private static List<String> signedNames(HeaderSection headers) {
        List<String> names = new ArrayList<>();
        for (String name : SIGNED_FIELDS) {
            int count = headers.named(name).size();
            for (int i = 0; i < count + (DkimSigner.OVERSIGNED.contains(name) ? 1 : 0); i++) {
                names.add(name);
            }
        }
        return names;
    }

    /** Remembers the first lookup that got no answer, which makes a failed chain worth another try. */
    private static final class TemporaryFailures implements KeyLookup {

        private final KeyLookup keys;
        private volatile String failure;

        TemporaryFailures(KeyLookup keys) {
            this.keys = keys;
        }

        @Override
        public KeyAnswer lookup(String name) {
            KeyAnswer answer = keys.lookup(name);
            if (answer.kind() == KeyAnswer.Kind.FAILED && failure == null) {
                failure = answer.detail();
            }
            return answer;
        }
    }
}
