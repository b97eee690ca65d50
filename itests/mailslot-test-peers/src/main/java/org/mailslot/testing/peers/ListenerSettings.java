package org.mailslot.testing.peers;

import java.time.Duration;

/**
 * What the builder of every peer that listens on one loopback address has: the address and port it
 * listens on, and how long its start may take. Each peer's builder adds its own settings.
 *
 * @param <B> the peer's builder, which the setters return
 */
public abstract class ListenerSettings<B extends ListenerSettings<B>> {

    String address;
    int port;
    Duration startTimeout;

    ListenerSettings(String address, int port, Duration startTimeout) {
        this.address = address;
        this.port = port;
        this.startTimeout = startTimeout;
    }

    /** @param address a loopback address to listen on; @return this */
    public B address(String address) {
        this.address = address;
        return self();
    }

    /** @param port the port to listen on; @return this */
    public B port(int port) {
        this.port = port;
        return self();
    }

    /** @param timeout how long the start may take; @return this */
    public B startTimeout(Duration timeout) {
        this.startTimeout = timeout;
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
