package org.mailslot.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.mailslot.testing.peers.PeerException;
import org.mailslot.testing.peers.Processes;

/**
 * One {@code smtp-sink} process for the whole run, without a dump directory, whose {@code -c}
 * counters are parsed as they are printed (one line per "." and per session end), so that waiting
 * for a count costs no re-reading of the whole output, and the moment the last message of a
 * measurement was accepted is known to within a context switch.
 *
 * <p>{@code org.mailslot.testing.peers.SmtpSink} keeps the whole output and re-parses it on every
 * poll; over a run of some 100,000 messages that would be megabytes per poll, on the same two
 * cores that are being measured.
 */
final class CountingSink implements AutoCloseable {

    private final String address;
    private final int port;
    private final List<String> command = new ArrayList<>();
    private final Process process;
    private final StringBuilder errors = new StringBuilder();
    private long messages;

    CountingSink(String address, int port) {
        this.address = address;
        this.port = port;
        command.add(Processes.which("smtp-sink").toString());
        command.add("-4");
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of("-c", "-h", "sink.test", address + ":" + port, "1024"));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new PeerException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        Thread pump = new Thread(this::pump, "smtp-sink counters");
        pump.setDaemon(true);
        pump.start();
        Processes.awaitListening(address, port, Duration.ofSeconds(10),
                () -> String.join(" ", command) + " printed: " + errors());
    }

    long pid() {
        return process.pid();
    }

    String address() {
        return address;
    }

    int port() {
        return port;
    }

    List<String> command() {
        return List.copyOf(command);
    }

    /** Reads "sess=N quit=N mesg=N" records, separated by CR (or LF for anything else it says). */
    private void pump() {
        byte[] buffer = new byte[8192];
        StringBuilder line = new StringBuilder();
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = (char) (buffer[i] & 0xff);
                    if (c == '\r' || c == '\n') {
                        record(line);
                        line.setLength(0);
                    } else if (line.length() < 1000) {
                        line.append(c);
                    }
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
        record(line);
    }

    private void record(CharSequence line) {
        if (line.length() == 0) {
            return;
        }
        String text = line.toString();
        int at = text.lastIndexOf("mesg=");
        if (text.startsWith("sess=") && at >= 0) {
            long value = 0;
            for (int i = at + 5; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
                value = value * 10 + (text.charAt(i) - '0');
            }
            synchronized (this) {
                messages = Math.max(messages, value);
                notifyAll();
            }
        } else {
            synchronized (errors) {
                if (errors.length() < 10_000) {
                    errors.append(text).append('\n');
                }
            }
        }
    }

    /** @return the messages accepted so far (the "." answered 250) */
    synchronized long messages() {
        return messages;
    }

    String errors() {
        synchronized (errors) {
            return errors.toString();
        }
    }

    /**
     * @param count the total to wait for
     * @param timeout how long at most
     * @return {@link System#nanoTime()} when the count was seen
     * @throws PeerException if the count is not reached in time or the sink died
     */
    synchronized long awaitMessages(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive()) {
                throw new PeerException("smtp-sink accepted " + messages + " of " + count + " messages within "
                        + timeout + (process.isAlive() ? "" : " and exited") + "; it printed: " + errors());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return System.nanoTime();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Processes.terminate(process.pid(), Duration.ofSeconds(5));
        }
    }
}
