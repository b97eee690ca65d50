package org.mailslot.api.tlsrpt;

import org.osgi.annotation.versioning.ProviderType;

/** The {@code policy-type} of an RFC 8460 report (section 4.3): the policy a session was held to. */
@ProviderType
public enum TlsPolicyType {
    /** DANE: DNSSEC-validated TLSA records of the MX host (RFC 7672). */
    TLSA("tlsa"),
    /** The domain's MTA-STS policy (RFC 8461). */
    STS("sts"),
    /** Neither: opportunistic TLS, or a level configured without a published policy. */
    NO_POLICY_FOUND("no-policy-found");

    private final String keyword;

    TlsPolicyType(String keyword) {
        this.keyword = keyword;
    }

    /** @return the value the report's JSON writes, such as {@code no-policy-found} */
    public String keyword() {
        return keyword;
    }

    /**
     * @param keyword a {@link #keyword()}
     * @return the type
     * @throws IllegalArgumentException if it is none
     */
    public static TlsPolicyType ofKeyword(String keyword) {
        for (TlsPolicyType type : values()) {
            if (type.keyword.equals(keyword)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not an RFC 8460 policy-type: " + keyword);
    }
}
