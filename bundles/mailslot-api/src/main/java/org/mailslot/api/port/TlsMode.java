package org.mailslot.api.port;

import org.osgi.annotation.versioning.ProviderType;

/** How TLS is established on a port. */
@ProviderType
public enum TlsMode {
    /** TLS from the first byte, before any SMTP is spoken (RFC 8314). */
    IMPLICIT("implicit"),
    /** STARTTLS must succeed before AUTH or MAIL; a peer that does not offer it is refused. */
    STARTTLS_REQUIRED("starttls-required"),
    /** STARTTLS when the peer offers it, cleartext otherwise (RFC 3207 as used between MTAs). */
    STARTTLS_OPPORTUNISTIC("starttls-opportunistic"),
    /** Never TLS. Credentials are then never exchanged. */
    NONE("none");

    private final String configName;

    TlsMode(String configName) {
        this.configName = configName;
    }

    /** @return the name used in configuration and shell output, such as {@code starttls-required} */
    public String configName() {
        return configName;
    }

    /** @return true if no message or credential may cross this port without TLS */
    public boolean requiresTls() {
        return this == IMPLICIT || this == STARTTLS_REQUIRED;
    }

    /**
     * @param name a configuration name such as {@code implicit}, in any case
     * @return the mode
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TlsMode fromConfigName(String name) {
        return ConfigNames.parse(values(), TlsMode::configName, name, "TLS mode");
    }

    @Override
    public String toString() {
        return configName;
    }
}
