package org.mailslot.spool.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

final class Hosts {

    private Hosts() {
    }

    static String localName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
