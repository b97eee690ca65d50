package org.mailslot.api.transport;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How much TLS a delivery to a destination demands, as Postfix's {@code smtp_tls_security_level}
 * names the levels. A level above {@link #MAY} never sends the message in clear: when it cannot
 * be met, the recipients are deferred with {@link FailureCause#TLS_POLICY}.
 */
@ProviderType
public enum TlsPolicyLevel {
    /** Opportunistic TLS (RFC 7435): STARTTLS when offered, any certificate, cleartext otherwise. */
    MAY("may"),
    /** TLS required, any certificate. */
    ENCRYPT("encrypt"),
    /**
     * Opportunistic DANE (RFC 7672): where the MX host has DNSSEC-validated, usable TLSA records,
     * TLS is required and the certificate must match one of them; where it has none (an insecure or
     * empty answer), as {@link #MAY}; where the lookup fails or is bogus, deferred.
     */
    DANE("dane"),
    /** As {@link #DANE}, but an MX host without usable TLSA records is never used. */
    DANE_ONLY("dane-only"),
    /** TLS required; the certificate must verify (PKIX) and name the MX host. */
    VERIFY("verify"),
    /** TLS required; the certificate must verify (PKIX) and name the recipient domain or a sub-domain of it. */
    SECURE("secure"),
    /**
     * The domain's published MTA-STS policy (RFC 8461): in {@code enforce} mode, TLS required to an MX
     * host the policy names, with a certificate that verifies and names it; in {@code testing} mode,
     * as {@link #MAY} (failures are only reported).
     */
    MTA_STS("mta-sts");

    private final String configName;

    TlsPolicyLevel(String configName) {
        this.configName = configName;
    }

    /** @return the name used in configuration and output, such as {@code dane-only} */
    public String configName() {
        return configName;
    }

    /**
     * @param name a configuration name such as {@code dane}, in any case
     * @return the level
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TlsPolicyLevel fromConfigName(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (TlsPolicyLevel level : values()) {
                if (level.configName.equals(wanted)) {
                    return level;
                }
            }
        }
        throw new IllegalArgumentException("Unknown TLS policy level " + (name == null ? "null" : "\"" + name + "\"")
                + "; expected one of: " + Arrays.stream(values()).map(TlsPolicyLevel::configName)
                        .collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return configName;
    }
}
