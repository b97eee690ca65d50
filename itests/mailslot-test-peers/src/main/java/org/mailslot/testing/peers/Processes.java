package org.mailslot.testing.peers;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs external commands with a time limit and captured output, waits for TCP ports and process
 * exits with Awaitility, and reads log tails. Every failure is a {@link PeerException} whose message
 * contains the command and what it printed.
 */
public final class Processes {

    /** Directories searched for peer programs in addition to {@code PATH} (CI may lack the sbin ones). */
    private static final List<String> EXTRA_PATH = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /** Lines of a log shown in failure messages. */
    public static final int LOG_TAIL_LINES = 40;

    private Processes() {
    }

    /**
     * The outcome of a finished command.
     *
     * @param command the command line as run
     * @param exitCode its exit status
     * @param output standard output and standard error, interleaved, decoded as UTF-8
     */
    public record Result(List<String> command, int exitCode, String output) {

        /** @return whether the exit status was 0 */
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** @return the command, the exit status and the output, for failure messages */
        public String describe() {
            return "command " + String.join(" ", command) + " exited " + exitCode
                    + (output.isBlank() ? " and printed nothing" : " and printed:\n" + output.strip());
        }

        /**
         * @return this result if the command succeeded
         * @throws PeerException with the command's output otherwise
         */
        public Result orThrow() {
            if (!succeeded()) {
                throw new PeerException(describe());
            }
            return this;
        }
    }

    /**
     * Runs a command and returns its result whatever the exit status.
     *
     * @param timeout how long the command may run before it and its descendants are killed
     * @param command the program and its arguments; the program is looked up with {@link #which}
     * @return the result
     * @throws PeerException if the command cannot start or runs out of time
     */
    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, null, command);
    }

    /**
     * Runs a command, feeding it standard input, and returns its result whatever the exit status.
     *
     * @param timeout how long the command may run before it and its descendants are killed
     * @param stdin bytes written to the command's standard input (closed afterwards); null for none
     * @param command the program and its arguments; the program is looked up with {@link #which}
     * @return the result
     * @throws PeerException if the command cannot start or runs out of time
     */
    public static Result run(Duration timeout, byte[] stdin, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, which(command.get(0)).toString());
        // Output goes to a file, not a pipe: a daemon that the command starts inherits the descriptor
        // and would keep a pipe open (and a reader waiting) for as long as it runs.
        Path outputFile;
        try {
            outputFile = Files.createTempFile("peer-command-", ".out");
        } catch (IOException e) {
            throw new PeerException("cannot create a file for a command's output: " + e.getMessage(), e);
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(resolved).redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Map<String, String> env = builder.environment();
            env.put("PATH", searchPath());
            env.putIfAbsent("LANG", "C.UTF-8");
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new PeerException("cannot start " + String.join(" ", resolved) + ": " + e.getMessage(), e);
            }
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // The command closed its input early; its exit status and output tell why.
                }
            }
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    throw new PeerException("command " + String.join(" ", resolved) + " did not finish within "
                            + timeout + " and was killed; it printed:\n" + read(outputFile));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new PeerException("interrupted while running " + String.join(" ", resolved), e);
            }
            return new Result(List.copyOf(resolved), process.exitValue(), read(outputFile));
        } finally {
            try {
                Files.deleteIfExists(outputFile);
            } catch (IOException e) {
                // A leftover temporary file harms no one.
            }
        }
    }

    /**
     * Runs a command and requires exit status 0.
     *
     * @param timeout how long the command may run
     * @param command the program and its arguments
     * @return the successful result
     * @throws PeerException with the command's output if it fails
     */
    public static Result runChecked(Duration timeout, String... command) {
        return run(timeout, Arrays.asList(command)).orThrow();
    }

    /**
     * Finds a program on {@code PATH}, {@code /usr/sbin}, {@code /usr/bin}, {@code /sbin} or
     * {@code /bin}.
     *
     * @param program a program name, or a path (returned unchanged)
     * @return the executable's path
     * @throws PeerException naming the module's {@code PACKAGES} file if it is not installed
     */
    public static Path which(String program) {
        if (program.contains("/")) {
            return Path.of(program);
        }
        return find(program).orElseThrow(() -> new PeerException("program '" + program
                + "' is not installed (searched " + searchPath() + "); install the Debian packages listed in"
                + " itests/mailslot-test-peers/PACKAGES with apt-get"));
    }

    /**
     * Requires that this JVM runs as root, as the daemons need (privileged ports, switching to the
     * postfix, dovecot and nobody users), as it does on the project's machines and CI.
     *
     * @param peer the peer's name, for the message
     * @throws PeerException if it does not
     */
    public static void requireRoot(String peer) {
        if (!isRoot()) {
            throw new PeerException(peer + " must run as root (it binds privileged ports and switches users);"
                    + " this JVM runs as " + System.getProperty("user.name"));
        }
    }

    /** @return whether this JVM runs as root (its real user id is 0), as daemons that switch users need */
    static boolean isRoot() {
        String status = read(Path.of("/proc/self/status"));
        return status.lines().filter(line -> line.startsWith("Uid:")).findFirst()
                .map(line -> line.split("\\s+")).map(fields -> fields.length > 2 && "0".equals(fields[2]))
                .orElse(false);
    }

    /**
     * @param program a program name
     * @return whether {@link #which} would find it
     */
    public static boolean isInstalled(String program) {
        return find(program).isPresent();
    }

    private static Optional<Path> find(String program) {
        return Arrays.stream(searchPath().split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static String searchPath() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        StringBuilder result = new StringBuilder(path);
        for (String dir : EXTRA_PATH) {
            if (!Arrays.asList(path.split(":")).contains(dir)) {
                result.append(result.length() == 0 ? "" : ":").append(dir);
            }
        }
        return result.toString();
    }

    /**
     * @param host an address
     * @param port a TCP port
     * @return whether a connection to it is accepted right now (within 500 ms)
     */
    public static boolean isPortOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a socket listens on an IPv4 address and port, read from {@code /proc/net/tcp} without
     * connecting: a probe connection would show up in the peer's log as a session of its own.
     *
     * @param ipv4 a dotted IPv4 address
     * @param port a TCP port
     * @return whether a socket is in the LISTEN state there (or on 0.0.0.0)
     */
    public static boolean isListening(String ipv4, int port) {
        String[] octets = ipv4.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
        }
        // The kernel prints the address as a little-endian 32-bit hex number.
        String address = String.format("%02X%02X%02X%02X", Integer.parseInt(octets[3]), Integer.parseInt(octets[2]),
                Integer.parseInt(octets[1]), Integer.parseInt(octets[0]));
        String local = address + ":" + String.format("%04X", port);
        String any = "00000000:" + String.format("%04X", port);
        try (Stream<String> lines = Files.lines(Path.of("/proc/net/tcp"), StandardCharsets.US_ASCII)) {
            return lines.skip(1).map(String::trim).map(line -> line.split("\\s+"))
                    .anyMatch(f -> f.length > 3 && "0A".equals(f[3]) && (local.equals(f[1]) || any.equals(f[1])));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a socket listens on an IPv4 address and port ({@link #isListening}), without
     * connecting to it.
     *
     * @param ipv4 a dotted IPv4 address
     * @param port a TCP port
     * @param timeout how long to wait
     * @param diagnostics evidence for the failure message (typically a log tail), asked for only on failure
     * @throws PeerException with the diagnostics if nothing listens in time
     */
    public static void awaitListening(String ipv4, int port, Duration timeout, Supplier<String> diagnostics) {
        try {
            await("listener on " + ipv4 + ":" + port).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .pollDelay(Duration.ZERO).until(() -> isListening(ipv4, port));
        } catch (ConditionTimeoutException e) {
            throw new PeerException("nothing listens on " + ipv4 + ":" + port + " after " + timeout
                    + "\n" + diagnostics.get(), e);
        }
    }

    /**
     * Waits until a TCP port accepts connections.
     *
     * @param host an address
     * @param port a TCP port
     * @param timeout how long to wait
     * @param diagnostics evidence for the failure message (typically a log tail), asked for only on failure
     * @throws PeerException with the diagnostics if the port does not open in time
     */
    public static void awaitPortOpen(String host, int port, Duration timeout, Supplier<String> diagnostics) {
        try {
            await("port " + host + ":" + port).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .pollDelay(Duration.ZERO).until(() -> isPortOpen(host, port));
        } catch (ConditionTimeoutException e) {
            throw new PeerException(host + ":" + port + " did not accept connections within " + timeout
                    + "\n" + diagnostics.get(), e);
        }
    }

    /**
     * Waits until a TCP port refuses connections.
     *
     * @param host an address
     * @param port a TCP port
     * @param timeout how long to wait
     * @throws PeerException if it still accepts connections after the timeout
     */
    public static void awaitPortClosed(String host, int port, Duration timeout) {
        try {
            await("port " + host + ":" + port + " closed").atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .pollDelay(Duration.ZERO).until(() -> !isPortOpen(host, port));
        } catch (ConditionTimeoutException e) {
            throw new PeerException(host + ":" + port + " still accepts connections after " + timeout, e);
        }
    }

    /**
     * Waits until a file exists and is not empty.
     *
     * @param file the file
     * @param timeout how long to wait
     * @param diagnostics evidence for the failure message, asked for only on failure
     * @throws PeerException with the diagnostics if it does not appear in time
     */
    public static void awaitFile(Path file, Duration timeout, Supplier<String> diagnostics) {
        try {
            await("file " + file).atMost(timeout).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
                    .until(() -> Files.isRegularFile(file) && Files.size(file) > 0);
        } catch (ConditionTimeoutException e) {
            throw new PeerException(file + " did not appear within " + timeout + "\n" + diagnostics.get(), e);
        }
    }

    /**
     * Stops a process that this JVM did not start (a daemon's master): sends SIGTERM, waits, and sends
     * SIGKILL to it and the children it had if it does not exit in time.
     *
     * @param pid the process id
     * @param timeout how long to wait for a clean exit
     * @return true if it exited on SIGTERM, false if it had to be killed (or was already gone: true)
     */
    public static boolean terminate(long pid, Duration timeout) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !isRunning(pid)) {
            return true;
        }
        List<ProcessHandle> children = handle.get().descendants().toList();
        handle.get().destroy();
        boolean clean = awaitExit(handle.get(), timeout);
        if (!clean) {
            handle.get().destroyForcibly();
            awaitExit(handle.get(), Duration.ofSeconds(5));
        }
        children.forEach(child -> {
            if (!awaitExit(child, Duration.ofSeconds(5))) {
                child.destroyForcibly();
            }
        });
        return clean;
    }

    /**
     * Waits for a process to exit.
     *
     * @param pid the process id
     * @param timeout how long to wait
     * @return whether it is gone
     */
    public static boolean awaitExit(long pid, Duration timeout) {
        return ProcessHandle.of(pid).map(handle -> awaitExit(handle, timeout)).orElse(true);
    }

    /**
     * Whether a process is running. Unlike {@link ProcessHandle#isAlive()} this is false for a zombie: a
     * daemon's master, reparented to PID 1 when its starter exits, stays a zombie until PID 1 reaps it,
     * which on this project's machines can take seconds.
     *
     * @param pid the process id
     * @return whether it exists and has not exited
     */
    public static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            int end = text.lastIndexOf(')');
            char state = end >= 0 && end + 2 < text.length() ? text.charAt(end + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false; // no such process
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            await("exit of process " + handle.pid()).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .pollDelay(Duration.ZERO).until(() -> !isRunning(handle.pid()));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * @param file a log file
     * @param lines how many lines from its end
     * @return the last lines, or a note that the file is missing or unreadable
     */
    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(" + file + " does not exist)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return "last " + last.size() + " lines of " + file + ":\n" + String.join("\n", last);
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Reads a whole text file, returning "" when it does not exist (a log not yet written).
     *
     * @param file the file
     * @return its contents decoded as UTF-8 (malformed bytes replaced)
     */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates a private working directory for a peer under the system temporary directory, readable
     * and traversable by the unprivileged users the daemons switch to.
     *
     * @param prefix the directory name's prefix
     * @return the new directory
     */
    static Path createWorkDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new PeerException("cannot create a working directory for a test peer: " + e.getMessage(), e);
        }
    }

    /**
     * Creates a directory (and parents) with mode 0755 and the given owner.
     *
     * @param dir the directory
     * @param owner a user name such as "nobody" or "postfix", or null to keep root
     * @return the directory
     */
    static Path mkdir(Path dir, String owner) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (owner != null) {
                var lookup = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, lookup.lookupPrincipalByName(owner));
            }
            return dir;
        } catch (IOException e) {
            throw new PeerException("cannot create " + dir + " owned by " + owner + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a text file with the given mode.
     *
     * @param file the file
     * @param content its content
     * @param mode a permission string such as "rw-------"
     * @return the file
     */
    static Path write(Path file, String content, String mode) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            return file;
        } catch (IOException e) {
            throw new PeerException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a directory tree unless {@code -Dmailslot.peers.keep=true}; failures are ignored.
     *
     * @param dir the tree to delete
     */
    static void deleteTree(Path dir) {
        if (dir == null || Boolean.getBoolean("mailslot.peers.keep") || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // Best effort: a leftover file in the temporary directory harms no one.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort, as above.
        }
    }

    /**
     * Starts a peer that is already built, closing it (and whatever it started) when starting fails.
     *
     * @return the started peer
     */
    static <P extends AutoCloseable> P startedOrClosed(P peer, Runnable start) {
        try {
            start.run();
            return peer;
        } catch (RuntimeException e) {
            try {
                peer.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
