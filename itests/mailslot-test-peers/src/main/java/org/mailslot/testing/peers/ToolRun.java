package org.mailslot.testing.peers;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a command-line tool whose standard output is binary (OpenPGP and S/MIME tools):
 * standard output and standard error are kept apart, both in files rather than pipes so that a
 * daemon the tool starts (gpg-agent) cannot hold a pipe open.
 *
 * @param command the command line as run
 * @param exitCode its exit status
 * @param stdout its standard output, as bytes
 * @param stderr its standard error, decoded as UTF-8
 */
public record ToolRun(List<String> command, int exitCode, byte[] stdout, String stderr) {

    /** @return whether the exit status was 0 */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** @return standard output decoded as UTF-8 */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** @return this run if it succeeded; otherwise a {@link PeerException} with the command and its output */
    public ToolRun orThrow() {
        if (!succeeded()) {
            throw new PeerException(describe());
        }
        return this;
    }

    /** @return the command, its exit status and its standard error, for failure messages */
    public String describe() {
        return "command " + String.join(" ", command) + " exited " + exitCode
                + (stderr.isBlank() ? "" : " and printed:\n" + stderr.strip());
    }

    /**
     * Runs a tool.
     *
     * @param timeout how long it may run before it and its descendants are killed
     * @param stdin bytes for its standard input, or null for none
     * @param environment extra environment variables
     * @param command the program (looked up with {@link Processes#which}) and its arguments
     * @return the finished run, whatever its exit status
     * @throws PeerException if it cannot start or runs out of time
     */
    public static ToolRun run(Duration timeout, byte[] stdin, Map<String, String> environment, List<String> command) {
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, Processes.which(command.get(0)).toString());
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("tool-", ".out");
            err = Files.createTempFile("tool-", ".err");
            ProcessBuilder builder = new ProcessBuilder(resolved).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            builder.environment().putIfAbsent("LANG", "C.UTF-8");
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // The tool closed its input early; its exit status says why.
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new PeerException("command " + String.join(" ", resolved) + " did not finish within " + timeout);
            }
            return new ToolRun(List.copyOf(resolved), process.exitValue(), Files.readAllBytes(out),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PeerException("cannot run " + String.join(" ", resolved) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while running " + String.join(" ", resolved), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temporary file harms no one
            }
        }
    }
}
