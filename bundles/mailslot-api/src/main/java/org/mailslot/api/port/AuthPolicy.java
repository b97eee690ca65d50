package org.mailslot.api.port;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether SMTP AUTH (RFC 4954) is part of a port's role. Whatever the policy, credentials are
 * only ever sent or accepted over TLS.
 */
@ProviderType
public enum AuthPolicy {
    /** Clients must authenticate before MAIL; the delivery client sends its route's credentials. */
    REQUIRED("required"),
    /** AUTH is offered once TLS is up and widens what a client may do (relaying), but is not needed. */
    OPTIONAL("optional"),
    /** AUTH is neither offered nor sent. */
    NONE("none");

    private final String configName;

    AuthPolicy(String configName) {
        this.configName = configName;
    }

    /** @return the name used in configuration and shell output */
    public String configName() {
        return configName;
    }

    /**
     * @param name a configuration name such as {@code required}, in any case
     * @return the policy
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AuthPolicy fromConfigName(String name) {
        return ConfigNames.parse(values(), AuthPolicy::configName, name, "AUTH policy");
    }

    @Override
    public String toString() {
        return configName;
    }
}
