package org.mailslot.api.port;

import org.osgi.annotation.versioning.ProviderType;

/** The part a port plays in mail transport (DESIGN.md's ports table). */
@ProviderType
public enum PortRole {
    /** MTA to MTA, MX delivery: port 25 (RFC 5321). */
    RELAY("relay"),
    /** Message submission with STARTTLS: port 587 (RFC 6409). */
    SUBMISSION("submission"),
    /** Message submission over implicit TLS: port 465 (RFC 8314). */
    SUBMISSIONS("submissions"),
    /** Submission on a non-standard port for networks that block the others: 2525 by convention. */
    ALTERNATE("alternate"),
    /**
     * Mailbox access that retrieval connects to: IMAP on 143 (STARTTLS) and 993 (implicit TLS),
     * POP3 on 110 (STLS) and 995 (implicit TLS) (RFC 8314). Not an SMTP role: no listener serves it.
     */
    MAILBOX_ACCESS("mailbox-access");

    private final String configName;

    PortRole(String configName) {
        this.configName = configName;
    }

    /** @return the name used in configuration and shell output */
    public String configName() {
        return configName;
    }

    /**
     * @param name a configuration name such as {@code submission}, in any case
     * @return the role
     * @throws IllegalArgumentException naming the accepted values
     */
    public static PortRole fromConfigName(String name) {
        return ConfigNames.parse(values(), PortRole::configName, name, "port role");
    }

    @Override
    public String toString() {
        return configName;
    }
}
