package org.mailslot.api.dkim;

import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The verdict on one {@code DKIM-Signature} header field. Immutable.
 *
 * @param domain the signing domain ({@code d=}), lower case; empty if the signature did not name one
 * @param selector the selector ({@code s=}); empty if absent
 * @param algorithm the algorithm, empty if the {@code a=} value is not one Mailslot knows
 * @param algorithmTag the {@code a=} value as written, for reports about unknown algorithms
 * @param result the outcome
 * @param reason one line for operators and {@code Authentication-Results} comments, never parsed
 *     ("body hash mismatch", "key record has no p= tag"); empty for a pass
 * @param headerB the first eight characters of {@code b=}, as RFC 6008 {@code header.b} names the signature
 */
@ProviderType
public record DkimSignatureResult(String domain, String selector, Optional<DkimAlgorithm> algorithm,
        String algorithmTag, DkimResult result, String reason, String headerB) {

    public DkimSignatureResult {
        domain = domain == null ? "" : domain;
        selector = selector == null ? "" : selector;
        Objects.requireNonNull(algorithm, "algorithm");
        algorithmTag = algorithmTag == null ? algorithm.map(DkimAlgorithm::tag).orElse("") : algorithmTag;
        Objects.requireNonNull(result, "result");
        reason = reason == null ? "" : reason;
        headerB = headerB == null ? "" : headerB;
    }

    /** @return whether this signature passed */
    public boolean passed() {
        return result == DkimResult.PASS;
    }

    @Override
    public String toString() {
        return "dkim=" + result.keyword() + " (" + algorithmTag + (reason.isEmpty() ? "" : ", " + reason) + ") header.d="
                + domain + " header.s=" + selector;
    }
}
