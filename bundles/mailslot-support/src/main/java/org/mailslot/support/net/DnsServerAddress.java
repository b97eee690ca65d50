package org.mailslot.support.net;

import java.net.InetSocketAddress;

/**
 * The address of one DNS server as a {@code resolver} property writes it: {@code host},
 * {@code host:port}, an IPv6 address alone or {@code [address]:port}; the port is 53 unless given.
 * MX lookups and DKIM key lookups read the same property, so they read it alike.
 */
public final class DnsServerAddress {

    /** The DNS port. */
    public static final int DEFAULT_PORT = 53;

    private DnsServerAddress() {
    }

    /**
     * @return the address, resolved when it is a name
     * @throws IllegalArgumentException naming the value if it is not one of the forms above, or its
     *     name does not resolve
     */
    public static InetSocketAddress parse(String value) {
        String address = value == null ? "" : value.strip();
        String host = address;
        String port = null;
        int colon = address.lastIndexOf(':');
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || (close + 1 < address.length() && address.charAt(close + 1) != ':')) {
                throw new IllegalArgumentException("resolver " + value + " is not [address]:port");
            }
            host = address.substring(1, close);
            port = close + 1 < address.length() ? address.substring(close + 2) : null;
        } else if (colon > 0 && address.indexOf(':') == colon) {
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("resolver " + value + " names no host");
        }
        InetSocketAddress resolved = new InetSocketAddress(host, port == null ? DEFAULT_PORT : port(value, port));
        if (resolved.isUnresolved()) {
            throw new IllegalArgumentException("resolver " + value + " cannot be resolved");
        }
        return resolved;
    }

    private static int port(String value, String port) {
        try {
            int number = Integer.parseInt(port);
            if (number >= 1 && number <= 65535) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("resolver " + value + " has no port between 1 and 65535: " + port);
    }
}
