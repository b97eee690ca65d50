package org.mailslot.transport.internal.delivery;

/**
 * What makes a pooled connection reusable for a delivery: the same route, host and port, opened
 * under the same TLS demand.
 *
 * @param route the route's name
 * @param host the host connected to, as the route names it (the MX host's name for MX)
 * @param address the address connected to, the host itself for a relay
 * @param port the port
 * @param tls the {@link TlsDemand#tag()} it was opened under: a connection opportunistic TLS opened
 *     never serves a destination whose policy demands DANE
 */
record PoolKey(String route, String host, String address, int port, String tls) {

    PoolKey(String route, String host, String address, int port) {
        this(route, host, address, port, "");
    }

    @Override
    public String toString() {
        return route + "/" + host + (address.equals(host) ? "" : "[" + address + "]") + ":" + port;
    }
}
