package org.mailslot.tls.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.mailslot.api.tls.TlsService;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/** Configurations, a recording logger, a TLS echo server and client helpers. */
final class TestSupport {

    private TestSupport() {
    }

    /**
     * A configuration as DS would build it from properties: {@code identity.pkcs12} for {@code
     * identity_pkcs12()}, the annotation's defaults for everything not given.
     */
    static TlsServiceImpl.Config config(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        // Tests drive the reload check themselves unless they ask for the periodic one.
        properties.putIfAbsent("reload.interval.seconds", 0);
        return (TlsServiceImpl.Config) Proxy.newProxyInstance(TestSupport.class.getClassLoader(),
                new Class<?>[] {TlsServiceImpl.Config.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return TlsServiceImpl.Config.class;
                        case "toString":
                            return "Config" + properties.keySet();
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            Object value = properties.get(method.getName().replace('_', '.'));
                            if (value instanceof Object[] array && method.getReturnType() == String[].class) {
                                return java.util.Arrays.copyOf(array, array.length, String[].class);
                            }
                            if (value instanceof String text && method.getReturnType() == String[].class) {
                                // What DS does with a scalar for an array: one element.
                                return new String[] {text};
                            }
                            if (value != null && method.getReturnType() == String.class) {
                                // What DS does with a number for a String property.
                                return String.valueOf(value);
                            }
                            return value != null ? value : method.getDefaultValue();
                    }
                });
    }

    /** @return the keys and values of {@code base} followed by {@code more} */
    static Object[] with(Object[] base, Object... more) {
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static TlsServiceImpl service(RecordingLog log, Object... keysAndValues) {
        return new TlsServiceImpl(config(keysAndValues), log.logger(), Clock.systemUTC(), null);
    }

    /** An slf4j logger that keeps every formatted message with its level. */
    static final class RecordingLog {

        record Entry(String level, String message) {
        }

        private final List<Entry> entries = new CopyOnWriteArrayList<>();

        Logger logger() {
            return (Logger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class},
                    (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.startsWith("is")) {
                            return true;
                        }
                        if (name.equals("getName")) {
                            return "test";
                        }
                        if (args != null && args.length > 0 && args[0] instanceof String format) {
                            Object[] arguments;
                            if (args.length == 2 && args[1] instanceof Object[] array) {
                                arguments = array;
                            } else {
                                arguments = java.util.Arrays.copyOfRange(args, 1, args.length);
                            }
                            entries.add(new Entry(name.toUpperCase(java.util.Locale.ROOT),
                                    MessageFormatter.arrayFormat(format, arguments).getMessage()));
                        }
                        return null;
                    });
        }

        List<String> messages(String level) {
            return entries.stream().filter(e -> e.level().equals(level)).map(Entry::message).toList();
        }

        List<String> all() {
            return entries.stream().map(Entry::message).toList();
        }
    }

    /**
     * A server like the SMTP listener's STARTTLS path: it accepts plain connections and layers
     * TLS over each with whatever material the service has at that moment, then echoes lines.
     */
    static final class EchoServer implements AutoCloseable {

        private final ServerSocket socket;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final List<Exception> failures = new CopyOnWriteArrayList<>();

        EchoServer(TlsService tls) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            executor.execute(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket accepted = socket.accept();
                        accepted.setSoTimeout(10_000);
                        executor.execute(() -> serve(tls, accepted));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(TlsService tls, Socket accepted) {
            try (SSLSocket tlsSocket = tls.createServerSideSocket(accepted)) {
                BufferedReader in = new BufferedReader(new InputStreamReader(tlsSocket.getInputStream(), StandardCharsets.US_ASCII));
                PrintWriter out = new PrintWriter(tlsSocket.getOutputStream(), true, StandardCharsets.US_ASCII);
                String line;
                while ((line = in.readLine()) != null) {
                    out.print("echo " + line + "\r\n");
                    out.flush();
                }
            } catch (Exception e) {
                failures.add(e);
                try {
                    accepted.close();
                } catch (IOException ignored) {
                    // Closing after a failure.
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        List<Exception> failures() {
            return failures;
        }

        /** A connected plain socket, as a client has before STARTTLS. */
        Socket connectPlain() throws IOException {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), port());
            plain.setSoTimeout(10_000);
            return plain;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Handshakes and returns the certificate the server presented. */
    static X509Certificate handshake(SSLSocket client) throws IOException {
        client.setSoTimeout(10_000);
        client.startHandshake();
        return (X509Certificate) client.getSession().getPeerCertificates()[0];
    }

    /** One round trip over an established connection. */
    static String echo(SSLSocket client, String line) throws IOException {
        client.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        StringBuilder reply = new StringBuilder();
        int c;
        while ((c = client.getInputStream().read()) != -1 && c != '\n') {
            if (c != '\r') {
                reply.append((char) c);
            }
        }
        return reply.toString();
    }

    /** Runs a handshake between two engines in memory, as Netty would over a channel. */
    static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int application = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
        ByteBuffer clientToServer = ByteBuffer.allocate(packet * 4);
        ByteBuffer serverToClient = ByteBuffer.allocate(packet * 4);
        ByteBuffer clientIn = ByteBuffer.allocate(application * 4);
        ByteBuffer serverIn = ByteBuffer.allocate(application * 4);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100 && !(done(client) && done(server)); round++) {
            client.wrap(empty, clientToServer);
            runTasks(client);
            server.wrap(empty, serverToClient);
            runTasks(server);
            clientToServer.flip();
            server.unwrap(clientToServer, serverIn);
            clientToServer.compact();
            runTasks(server);
            serverToClient.flip();
            client.unwrap(serverToClient, clientIn);
            serverToClient.compact();
            runTasks(client);
        }
        if (!(done(client) && done(server))) {
            throw new SSLException("Handshake did not finish: client " + client.getHandshakeStatus() + ", server "
                    + server.getHandshakeStatus());
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
