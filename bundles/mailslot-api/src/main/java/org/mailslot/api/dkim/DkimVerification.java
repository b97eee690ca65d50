package org.mailslot.api.dkim;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The verdicts on every {@code DKIM-Signature} of a message, in the order they appear (topmost
 * first). A message without signatures has none: RFC 8601 {@code dkim=none}. Immutable.
 *
 * @param signatures one result per signature header field
 */
@ProviderType
public record DkimVerification(List<DkimSignatureResult> signatures) {

    public DkimVerification {
        signatures = List.copyOf(signatures);
    }

    /** @return whether the message carries no DKIM signature at all */
    public boolean unsigned() {
        return signatures.isEmpty();
    }

    /** @return whether some signature by this domain ({@code d=}, compared ignoring case) passed */
    public boolean passedFor(String domain) {
        return signatures.stream().anyMatch(s -> s.passed() && s.domain().equalsIgnoreCase(domain));
    }

    /** @return the signatures that passed */
    public List<DkimSignatureResult> passing() {
        return signatures.stream().filter(DkimSignatureResult::passed).toList();
    }
}
