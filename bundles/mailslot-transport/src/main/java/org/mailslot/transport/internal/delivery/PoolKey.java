package org.mailslot.transport.internal.delivery;

/**
 * What makes a pooled connection reusable for a delivery: the same route, host and port.
 *
 * @param route the route's name
 * @param host the host connected to, as the route names it (the MX host's name for MX)
 * @param address the address connected to, the host itself for a relay
 * @param port the port
 */
record PoolKey(String route, String host, String address, int port) {

    @Override
    public String toString() {
        return route + "/" + host + (address.equals(host) ? "" : "[" + address + "]") + ":" + port;
    }
}
