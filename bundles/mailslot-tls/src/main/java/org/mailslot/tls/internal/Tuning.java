package org.mailslot.tls.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * What the service applies to every engine and socket: protocols, cipher suites, the role and,
 * for verifying clients, endpoint identification. Immutable.
 */
final class Tuning {

    private final String[] protocols;
    private final String[] cipherSuites;
    private final boolean server;
    private final boolean identifyEndpoint;

    private Tuning(String[] protocols, String[] cipherSuites, boolean server, boolean identifyEndpoint) {
        this.protocols = protocols.clone();
        this.cipherSuites = cipherSuites.clone();
        this.server = server;
        this.identifyEndpoint = identifyEndpoint;
    }

    static Tuning server(String[] protocols, String[] cipherSuites) {
        return new Tuning(protocols, cipherSuites, true, false);
    }

    static Tuning client(String[] protocols, String[] cipherSuites, boolean identifyEndpoint) {
        return new Tuning(protocols, cipherSuites, false, identifyEndpoint);
    }

    boolean identifiesEndpoint() {
        return identifyEndpoint;
    }

    SSLParameters apply(SSLParameters parameters) {
        parameters.setProtocols(protocols.clone());
        parameters.setCipherSuites(cipherSuites.clone());
        if (server) {
            parameters.setUseCipherSuitesOrder(true);
        } else {
            parameters.setEndpointIdentificationAlgorithm(identifyEndpoint ? "HTTPS" : null);
        }
        return parameters;
    }

    SSLEngine apply(SSLEngine engine) {
        // The mode first: changing it resets protocols and suites that are still the JDK's defaults.
        engine.setUseClientMode(!server);
        engine.setSSLParameters(apply(engine.getSSLParameters()));
        return engine;
    }

    /** For sockets the factory call has decided the role already. */
    SSLSocket apply(SSLSocket socket) {
        socket.setSSLParameters(apply(socket.getSSLParameters()));
        return socket;
    }

    SSLServerSocket apply(SSLServerSocket socket) {
        socket.setSSLParameters(apply(socket.getSSLParameters()));
        return socket;
    }

    String[] cipherSuites() {
        return cipherSuites.clone();
    }
}
