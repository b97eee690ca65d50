package org.mailslot.transport.internal.delivery;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

import org.mailslot.support.tls.LayeringSocketFactory;
import org.mailslot.support.tls.UnconnectedSocketFactory;

/**
 * The plain socket factory Angus is given for one connection that starts in clear ({@code
 * mail.smtp.socketFactory}): an {@link UnconnectedSocketFactory} whose sockets have an output buffer that
 * writes when Angus flushes.
 *
 * <p>Why {@code TCP_NODELAY}: Angus writes a message body in 8 KiB pieces and the end of data
 * ({@code CRLF.CRLF}) with the last piece. Every piece is shorter than the loopback MSS, so with
 * Nagle's algorithm the last one waits until the server acknowledges the previous ones, and the
 * server delays that ACK because it has nothing to send before the end of data arrives: about
 * 40 ms per message (Linux's minimum delayed-ACK time). Mailslot writes whole commands and whole
 * buffers, so Nagle never saves a packet here. Implicit-TLS sockets, which Angus makes itself, get
 * the option from {@link LayeringSocketFactory}.
 *
 * <p>Why the buffer: Angus's own buffer (8 KiB) hands every full buffer to the socket, one system
 * call and one TCP segment each; this one (64 KiB) passes bytes on only when Angus flushes, at the
 * end of a command or of the message, and not at all while {@link #hold held} (a pipelined group of
 * commands then leaves in one write). TLS layered over the socket (STARTTLS) writes its records
 * through the same stream and flushes each, so it is unaffected.
 */
final class PlainSocketFactory extends UnconnectedSocketFactory {

    private static final int BUFFER = 64 * 1024;

    private final AtomicReference<BufferedSocket> last = new AtomicReference<>();

    PlainSocketFactory() {
        super("Mailslot's delivery client");
    }

    @Override
    protected Socket newSocket() {
        BufferedSocket socket = new BufferedSocket();
        last.set(socket);
        return socket;
    }

    /** @return the connection's plain socket, once made */
    java.util.Optional<Socket> socket() {
        return java.util.Optional.ofNullable(last.get());
    }

    /**
     * Holds flushes of the connection's socket until {@link #release()}: what is written meanwhile
     * leaves in one write. Does nothing for a connection this factory did not make (implicit TLS).
     */
    void hold() throws IOException {
        BufferedSocket socket = last.get();
        if (socket != null) {
            socket.holding(true);
        }
    }

    /**
     * @return the output stream of the connection's plain socket, beneath Angus's buffer and beneath
     *     TLS if TLS was layered over it; null for a connection this factory did not make
     */
    OutputStream outputStream() throws IOException {
        BufferedSocket socket = last.get();
        return socket == null ? null : socket.getOutputStream();
    }

    /** Ends a {@link #hold()} and writes what it held. */
    void release() throws IOException {
        BufferedSocket socket = last.get();
        if (socket != null) {
            socket.holding(false);
        }
    }

    @Override
    public String toString() {
        return "PlainSocketFactory";
    }

    /** A socket whose output stream writes on flush. Used by one delivery thread at a time. */
    private static final class BufferedSocket extends Socket {

        private HoldingOutputStream out;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new HoldingOutputStream(super.getOutputStream());
            }
            return out;
        }

        synchronized void holding(boolean hold) throws IOException {
            ((HoldingOutputStream) getOutputStream()).holding(hold);
        }
    }

    private static final class HoldingOutputStream extends BufferedOutputStream {

        private boolean held;

        HoldingOutputStream(OutputStream socket) {
            super(socket, BUFFER);
        }

        synchronized void holding(boolean hold) throws IOException {
            held = hold;
            if (!hold) {
                flush();
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (!held) {
                super.flush();
            }
        }
    }
}
