package org.mailslot.api.tls;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How much a TLS client checks of the server it connects to.
 *
 * <p>Verification always uses the trust anchors of the {@link TlsService}: the JDK's default
 * anchors plus the extra anchors the operator configured.
 */
@ProviderType
public enum PeerVerification {

    /**
     * The certificate chain must lead to a trusted anchor and the certificate must name the host
     * connected to (HTTPS-style endpoint identification, RFC 2818 / RFC 6125). The default, and
     * the only sound choice whenever credentials or a policy requiring TLS are involved.
     */
    FULL("full"),

    /**
     * The certificate chain must lead to a trusted anchor, whatever host name it carries. For a
     * route that connects to a host by a name or address its certificate does not list.
     */
    CHAIN("chain"),

    /**
     * Any certificate is accepted: the connection is encrypted but the server is not
     * authenticated (opportunistic security, RFC 7435), as MTA-to-MTA delivery on port 25 does
     * when no policy (MTA-STS, DANE, REQUIRETLS) demands more. Never use it to send credentials.
     */
    NONE("none");

    private final String configName;

    PeerVerification(String configName) {
        this.configName = configName;
    }

    /** @return the lower-case name used in configuration: {@code full}, {@code chain} or {@code none} */
    public String configName() {
        return configName;
    }

    /**
     * Parses a configuration name, ignoring case and surrounding blanks.
     *
     * @param text {@code full}, {@code chain} or {@code none}
     * @return the verification level
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static PeerVerification fromConfigName(String text) {
        if (text != null) {
            String wanted = text.trim().toLowerCase(Locale.ROOT);
            for (PeerVerification value : values()) {
                if (value.configName.equals(wanted)) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException("Unknown peer verification " + (text == null ? "null" : "\"" + text + "\"")
                + "; expected one of: full, chain, none");
    }
}
