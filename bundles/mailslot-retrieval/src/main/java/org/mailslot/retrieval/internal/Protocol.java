package org.mailslot.retrieval.internal;

import java.util.Locale;

/** The retrieval protocols, with the port used when none is configured (implicit TLS, RFC 8314). */
enum Protocol {
    IMAP(993), POP3(995);

    private final int defaultPort;

    Protocol(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    int defaultPort() {
        return defaultPort;
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Protocol parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("protocol must be imap or pop3, not '" + value + "'");
        }
    }
}
