package org.mailslot.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised context that applies a {@link Tuning} to every engine and socket it creates,
 * so that a consumer given the context cannot get one with the JDK's defaults by accident.
 */
final class TunedSslContext extends SSLContext {

    private TunedSslContext(Spi spi, SSLContext delegate) {
        super(spi, delegate.getProvider(), delegate.getProtocol());
    }

    static TunedSslContext of(SSLContext initialised, Tuning tuning) {
        return new TunedSslContext(new Spi(initialised, tuning), initialised);
    }

    private static final class Spi extends SSLContextSpi {

        private final SSLContext delegate;
        private final Tuning tuning;
        private final SSLSocketFactory socketFactory;
        private final SSLServerSocketFactory serverSocketFactory;

        Spi(SSLContext delegate, Tuning tuning) {
            this.delegate = delegate;
            this.tuning = tuning;
            this.socketFactory = new TunedSocketFactory(delegate.getSocketFactory(), tuning);
            this.serverSocketFactory = new TunedServerSocketFactory(delegate.getServerSocketFactory(), tuning);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("This context belongs to the Mailslot TLS service and is initialised already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return socketFactory;
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return serverSocketFactory;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return tuning.apply(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return tuning.apply(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return tuning.apply(delegate.getDefaultSSLParameters());
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }

    static final class TunedSocketFactory extends SSLSocketFactory {

        private final SSLSocketFactory delegate;
        private final Tuning tuning;

        TunedSocketFactory(SSLSocketFactory delegate, Tuning tuning) {
            this.delegate = delegate;
            this.tuning = tuning;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tuning.cipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return tuning.apply((SSLSocket) delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return tuning.apply((SSLSocket) delegate.createSocket(s, requireHost(host), port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return tuning.apply((SSLSocket) delegate.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return tuning.apply((SSLSocket) delegate.createSocket(requireHost(host), port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return tuning.apply((SSLSocket) delegate.createSocket(requireHost(host), port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return tuning.apply((SSLSocket) delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return tuning.apply((SSLSocket) delegate.createSocket(address, port, localAddress, localPort));
        }

        private String requireHost(String host) {
            if (tuning.identifiesEndpoint() && (host == null || host.isBlank())) {
                throw new IllegalArgumentException("Verifying the server's host name needs the host name");
            }
            return host;
        }
    }

    private static final class TunedServerSocketFactory extends SSLServerSocketFactory {

        private final SSLServerSocketFactory delegate;
        private final Tuning tuning;

        TunedServerSocketFactory(SSLServerSocketFactory delegate, Tuning tuning) {
            this.delegate = delegate;
            this.tuning = tuning;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tuning.cipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return tuning.apply((SSLServerSocket) delegate.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return tuning.apply((SSLServerSocket) delegate.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return tuning.apply((SSLServerSocket) delegate.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
            return tuning.apply((SSLServerSocket) delegate.createServerSocket(port, backlog, ifAddress));
        }
    }
}
