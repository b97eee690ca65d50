package org.mailslot.support.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name Mailslot gives the local host where none is configured: in EHLO, in Received fields,
 * as the reporting MTA of a DSN and in a generated certificate. It is the canonical (fully
 * qualified) name, as RFC 5321 wants in EHLO, looked up once per bundle and then kept: the lookup
 * may wait on DNS, and the name must not change between two messages. {@code localhost} when the
 * host has no name that resolves.
 */
public final class LocalHostName {

    private LocalHostName() {
    }

    /** @return the local host's canonical name, or {@code localhost} */
    public static String get() {
        return Holder.NAME;
    }

    static String lookUp() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException | SecurityException e) {
            return "localhost";
        }
    }

    private static final class Holder {
        static final String NAME = lookUp();
    }
}
