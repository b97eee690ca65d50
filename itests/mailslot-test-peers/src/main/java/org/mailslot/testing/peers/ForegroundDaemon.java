package org.mailslot.testing.peers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A peer's daemon run in the foreground as a child of this JVM: its own work directory, the check
 * that nothing else holds its address, its start with the output in {@code stdout} of that directory,
 * readiness as a listening socket, and its stop by PID. The peers say what to write and run; this says
 * how every one of them is started and stopped.
 */
final class ForegroundDaemon {

    private final String name;
    private final Path dir;
    private List<String> command = List.of();
    private Process process;

    /** @param name the daemon's name, the prefix of its work directory and of its messages */
    ForegroundDaemon(String name) {
        this.name = name;
        this.dir = Processes.createWorkDirectory(name + "-");
    }

    /** @return the work directory, deleted by {@link #stop} */
    Path dir() {
        return dir;
    }

    /** Fails when something already listens where the daemon is to listen. */
    void requireFree(String address, int port) {
        if (Processes.isListening(address, port)) {
            throw new PeerException("something already listens on " + address + ":" + port + " where " + name
                    + " is to listen");
        }
    }

    /**
     * Starts the command and waits until it listens on the address.
     *
     * @param logs the daemon's own log, added to the diagnostics when it does not come up
     */
    void start(List<String> command, String address, int port, Duration timeout, Supplier<String> logs) {
        this.command = List.copyOf(command);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout").toFile()).redirectInput(new File("/dev/null")).start();
        } catch (IOException e) {
            throw new PeerException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        Processes.awaitListening(address, port, timeout, () -> String.join(" ", command)
                + (process.isAlive() ? " is running" : " exited " + process.exitValue()) + "; it printed:\n"
                + Processes.tail(dir.resolve("stdout"), Processes.LOG_TAIL_LINES) + "\nits log:\n" + logs.get());
    }

    /** @return the command line it was started with, empty before */
    List<String> command() {
        return command;
    }

    /** @return whether the daemon was started and still runs */
    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the daemon by its PID, waits at most {@code timeout} for it to exit, and deletes its directory. */
    void stop(Duration timeout) {
        try {
            if (isRunning()) {
                Processes.terminate(process.pid(), timeout);
            }
        } finally {
            Processes.deleteTree(dir);
        }
    }
}
