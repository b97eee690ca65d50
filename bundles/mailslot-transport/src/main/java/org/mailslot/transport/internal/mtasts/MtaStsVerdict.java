package org.mailslot.transport.internal.mtasts;

import java.util.Optional;

import org.mailslot.api.transport.TlsSession;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;

/**
 * Whether an MX host passes a domain's MTA-STS policy (RFC 8461 section 4): the policy names it, and
 * it offers TLS with a certificate that verifies for its name. One line, for {@code mailslot:probe
 * DOMAIN --mx}.
 */
public final class MtaStsVerdict {

    private MtaStsVerdict() {
    }

    /**
     * @param policy the domain's policy
     * @param host the MX host's name
     * @param tls the TLS the host negotiated, verified for its name with the TLS service's anchors; empty
     *     if it offered none or was not reached
     * @return {@code passes: ...} or {@code fails: ...}, with what a testing policy does about it
     */
    public static String of(MtaStsPolicy policy, String host, Optional<TlsSession> tls) {
        String verdict;
        if (!policy.names(host)) {
            verdict = "fails: NOT named by the MTA-STS policy " + policy.mx();
        } else if (tls.isEmpty()) {
            verdict = "fails: named by the MTA-STS policy, but no TLS with it";
        } else if (!tls.get().verified()) {
            verdict = "fails: named by the MTA-STS policy, but its certificate does not verify: "
                    + tls.get().verificationError().orElse("not verified");
        } else {
            verdict = "passes: named by the MTA-STS policy, its certificate verifies for " + host;
        }
        return switch (policy.mode()) {
            case ENFORCE -> verdict;
            case TESTING -> verdict + " (testing: only reported)";
            case NONE -> verdict + " (mode none: not applied)";
        };
    }
}
