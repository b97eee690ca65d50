package org.mailslot.testing.peers;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Postfix's {@code smtp-sink} on a loopback address: a fast SMTP server that accepts (or, as
 * configured, refuses) mail and, optionally, writes each message to a dump directory. It speaks no
 * STARTTLS and offers no real AUTH; use it for load, for replies (4xx/5xx to a chosen command, 421,
 * dropped connections) and for delays.
 *
 * <pre>{@code
 * try (SmtpSink sink = SmtpSink.builder().port(2500).softReject("RCPT").start()) {
 *     ... deliver to sink.address():sink.port(), expect a 450 on RCPT ...
 * }
 * }</pre>
 *
 * <p>Commands are named as smtp-sink names them: CONNECT, HELO, EHLO, MAIL, RCPT, DATA, "." (the end
 * of the message), RSET, NOOP, QUIT.
 */
public final class SmtpSink implements AutoCloseable {

    /** The default listening address. */
    public static final String DEFAULT_ADDRESS = "127.0.0.4";

    private static final Pattern COUNTERS = Pattern.compile("sess=(\\d+) quit=(\\d+) mesg=(\\d+)");

    private final Builder settings;
    private final Path dir;
    private final Path dumpDir;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<String> command = new ArrayList<>();
    private Process process;

    private SmtpSink(Builder settings) {
        this.settings = settings;
        this.dir = Processes.createWorkDirectory("smtp-sink-");
        this.dumpDir = dir.resolve("dump");
    }

    /** @return a builder: 127.0.0.4:2525, accepting everything, dumping messages */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for an {@link SmtpSink}. */
    public static final class Builder extends ListenerSettings<Builder> {
        private String hostname = "sink.test";
        private boolean dump = true;
        private final List<String> options = new ArrayList<>();

        private Builder() {
            super(DEFAULT_ADDRESS, 2525, Duration.ofSeconds(10));
        }

        /** @param hostname the name in the greeting and EHLO reply ({@code -h}); @return this */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** @param dump whether to write each message to {@link #dumpDirectory()} ({@code -d}); @return this */
        public Builder dump(boolean dump) {
            this.dump = dump;
            return this;
        }

        /**
         * Answers the commands with a 4xx reply ({@code -r}), by default "450 4.3.0 Error: command failed".
         *
         * @param commands e.g. "RCPT", "DATA", "."
         * @return this
         */
        public Builder softReject(String... commands) {
            return option("-r", String.join(",", commands));
        }

        /**
         * Answers the commands with a 5xx reply ({@code -f}), by default "500 5.3.0 Error: command failed".
         *
         * @param commands e.g. "RCPT", "DATA", "."
         * @return this
         */
        public Builder hardReject(String... commands) {
            return option("-f", String.join(",", commands));
        }

        /** @param reply the 4xx reply for {@link #softReject}, e.g. "451 4.7.1 Try later" ({@code -b}); @return this */
        public Builder softReply(String reply) {
            return option("-b", reply);
        }

        /** @param reply the 5xx reply for {@link #hardReject}, e.g. "550 5.1.1 No such user" ({@code -B}); @return this */
        public Builder hardReply(String reply) {
            return option("-B", reply);
        }

        /** @param commands commands after which it disconnects without a reply ({@code -q}); @return this */
        public Builder disconnectAfter(String... commands) {
            return option("-q", String.join(",", commands));
        }

        /** @param commands commands answered with 421 and a disconnect ({@code -Q}); @return this */
        public Builder reply421After(String... commands) {
            return option("-Q", String.join(",", commands));
        }

        /**
         * @param command a command
         * @param seconds delay before its reply ({@code -W command:delay})
         * @return this
         */
        public Builder delay(String command, int seconds) {
            return option("-W", command + ":" + seconds);
        }

        /**
         * @param option any other smtp-sink option (see {@code man smtp-sink}), e.g. "-e" for no ESMTP
         * @param arguments its arguments
         * @return this
         */
        public Builder option(String option, String... arguments) {
            options.add(option);
            options.addAll(List.of(arguments));
            return this;
        }

        /**
         * Starts smtp-sink and waits until it accepts connections.
         *
         * @return the running sink
         */
        public SmtpSink start() {
            SmtpSink sink = new SmtpSink(this);
            try {
                sink.startProcess();
                return sink;
            } catch (RuntimeException e) {
                sink.close();
                throw e;
            }
        }
    }

    private void startProcess() {
        command.add(Processes.which("smtp-sink").toString());
        // As root it must drop privileges (-u); -c prints the counters that acceptedMessages() reads.
        command.add("-4");
        if (Processes.isRoot()) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of("-c", "-h", settings.hostname));
        if (settings.dump) {
            Processes.mkdir(dumpDir, Processes.isRoot() ? "nobody" : null);
            command.addAll(List.of("-d", dumpDir + "/"));
        }
        command.addAll(settings.options);
        command.add(settings.address + ":" + settings.port);
        command.add("256");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new PeerException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        Thread pump = new Thread(() -> pump(process.getInputStream()), "smtp-sink output");
        pump.setDaemon(true);
        pump.start();
        try {
            await("smtp-sink on " + settings.address + ":" + settings.port).atMost(settings.startTimeout)
                    .pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
                    .until(() -> !process.isAlive() || Processes.isListening(settings.address, settings.port));
        } catch (ConditionTimeoutException e) {
            throw new PeerException("smtp-sink did not accept connections within " + settings.startTimeout
                    + "; " + String.join(" ", command) + " printed:\n" + output(), e);
        }
        if (!process.isAlive()) {
            throw new PeerException("smtp-sink exited with " + process.exitValue() + "; "
                    + String.join(" ", command) + " printed:\n" + output());
        }
    }

    private void pump(InputStream in) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (output) {
                    output.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    /** @return the listening address */
    public String address() {
        return settings.address;
    }

    /** @return the listening port */
    public int port() {
        return settings.port;
    }

    /** @return the command line it was started with */
    public List<String> command() {
        return List.copyOf(command);
    }

    /** @return everything smtp-sink printed (counters, separated by carriage returns, and errors) */
    public String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * @return the number of messages accepted so far (the end-of-data "." answered 250), from
     *     smtp-sink's running counters
     */
    public int acceptedMessages() {
        return lastCounter(3);
    }

    /** @return the number of SMTP sessions that have ended so far */
    public int sessions() {
        return lastCounter(1);
    }

    private int lastCounter(int group) {
        Matcher m = COUNTERS.matcher(output());
        int value = 0;
        while (m.find()) {
            value = Integer.parseInt(m.group(group));
        }
        return value;
    }

    /**
     * Waits until at least {@code count} messages were accepted.
     *
     * @param count how many
     * @param timeout how long to wait
     * @return the number accepted
     */
    public int awaitAcceptedMessages(int count, Duration timeout) {
        try {
            await(count + " message(s) accepted by smtp-sink").atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .pollDelay(Duration.ZERO).until(() -> acceptedMessages() >= count);
            return acceptedMessages();
        } catch (ConditionTimeoutException e) {
            throw new PeerException(acceptedMessages() + " of " + count + " message(s) accepted by smtp-sink within "
                    + timeout + "; it printed:\n" + output(), e);
        }
    }

    /** @return the dump directory (one file per accepted transaction), if dumping */
    public Path dumpDirectory() {
        return dumpDir;
    }

    /**
     * @return the dumped transactions, oldest first: smtp-sink's X-Client-Addr, X-Helo-Args,
     *     X-Mail-Args, X-Rcpt-Args and Received headers followed by the message as received. A file
     *     appears when the transaction starts and is removed if it is aborted.
     */
    public List<Path> dumpedMessages() {
        if (!Files.isDirectory(dumpDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dumpDir)) {
            return files.filter(Files::isRegularFile).sorted(Comparator.comparing((Path p) -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (IOException e) {
                    return java.nio.file.attribute.FileTime.fromMillis(0);
                }
            })).toList();
        } catch (IOException e) {
            throw new PeerException("cannot list " + dumpDir, e);
        }
    }

    /** Kills smtp-sink, waits for it to exit and deletes its directory. */
    @Override
    public void close() {
        try {
            if (process != null && process.isAlive()) {
                Processes.terminate(process.pid(), Duration.ofSeconds(5));
            }
        } finally {
            Processes.deleteTree(dir);
        }
    }

    @Override
    public String toString() {
        return "SmtpSink[" + settings.address + ":" + settings.port + ", " + String.join(" ", command) + "]";
    }
}
