package org.mailslot.transport.internal.delivery;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deadline of one connection's current step, which a {@link DeadlineWatch} enforces by closing
 * the connection's TCP socket once it has passed. A socket read times out by itself, but only per
 * read: a server that sends a byte at a time never lets it, and a write to a server that has stopped
 * reading blocks without any time limit. Closing the plain socket (never the TLS one, whose close
 * may wait for the writer) ends a blocked read or write at once, under TLS too.
 *
 * <p>Steps: connecting until the greeting ({@code connect.timeout}), each reply
 * ({@code read.timeout}), and sending the message content ({@code data.timeout}). Armed by the
 * delivery thread, read by the watch; between transactions (in the pool) it is off.
 */
final class Deadline {

    /** What the connection was doing, for the reason an expired deadline gives. */
    enum Step {
        GREETING("no connection and greeting within "),
        REPLY("no reply within "),
        DATA("the message content was not taken within ");

        private final String says;

        Step(String says) {
            this.says = says;
        }
    }

    private static final long OFF = Long.MAX_VALUE;

    private final Supplier<Optional<Socket>> socket;
    private final DeadlineWatch watch;
    private volatile long expiresAt = OFF;
    private volatile Step step = Step.REPLY;
    private volatile Duration limit = Duration.ZERO;
    private volatile String expired;

    /**
     * @param socket the connection's TCP socket, once there is one
     * @param watch the watch that enforces it; the deadline registers itself
     */
    Deadline(Supplier<Optional<Socket>> socket, DeadlineWatch watch) {
        this.socket = socket;
        this.watch = watch;
        watch.register(this);
    }

    /** The step starts now and may take {@code limit}. */
    void arm(Step step, Duration limit) {
        // On every reply of every delivery: no allocation here, the reason is written only if it expires.
        this.step = step;
        this.limit = limit;
        expiresAt = System.nanoTime() + limit.toNanos();
    }

    /** No step under way: the connection is idle. */
    void disarm() {
        expiresAt = OFF;
    }

    /** @return why the connection was closed, if its deadline closed it */
    Optional<String> expired() {
        return Optional.ofNullable(expired);
    }

    /** The connection is gone: the watch forgets it. */
    void release() {
        expiresAt = OFF;
        watch.unregister(this);
    }

    /** Called by the watch: closes the socket if the deadline has passed at {@code now} (nanoTime). */
    boolean expireIfDue(long now) {
        long at = expiresAt;
        if (at == OFF || now - at < 0) {
            return false;
        }
        Step current = step;
        expired = current.says + limit.toSeconds() + " s (" + current.name().toLowerCase(java.util.Locale.ROOT)
                + " deadline)";
        expiresAt = OFF;
        socket.get().ifPresent(s -> {
            try {
                s.close();
            } catch (IOException e) {
                // Closed either way.
            }
        });
        return true;
    }
}
