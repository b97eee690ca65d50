package org.mailslot.itests;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program as an operator's script would, standard input not a terminal, and keeps what it
 * printed on each stream and its exit status.
 */
final class CommandLine {

    /** What the program printed, and its exit status. */
    record Result(String stdout, String stderr, int exitStatus) {

        @Override
        public String toString() {
            return "exit " + exitStatus + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private static final long TIMEOUT_SECONDS = 90;

    private CommandLine() {
    }

    /** Runs {@code bin/mailslot} of the distribution as an operator with a password. */
    static Result binMailslot(int sshPort, String user, String password, String command) throws IOException {
        Path script = Path.of(System.getProperty("karaf.home"), "bin", "mailslot");
        return run(List.of(script.toString(), "-a", String.valueOf(sshPort), "-u", user, "-p", password, command), null);
    }

    /** Runs Debian's OpenSSH client with a key, as {@code ssh -p PORT user@127.0.0.1 COMMAND}. */
    static Result openSsh(int sshPort, Path key, String user, String command) throws IOException {
        return run(List.of("ssh", "-q", "-i", key.toString(), "-p", String.valueOf(sshPort), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
                user + "@127.0.0.1", command), null);
    }

    /** @return what Debian's jq prints for the filter over the JSON text, one value a line ({@code jq -r}) */
    static String jq(String json, String filter) throws IOException {
        Result result = run(List.of("jq", "-r", filter), json);
        if (result.exitStatus() != 0) {
            throw new AssertionError("jq " + filter + " could not read: " + json + "\n" + result);
        }
        return result.stdout().strip();
    }

    static Result run(List<String> command, String input) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        if (input == null) {
            builder.redirectInput(new File("/dev/null"));
        }
        Process process = builder.start();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (input != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(new String(stdout.join(), StandardCharsets.UTF_8), new String(stderr.join(),
                    StandardCharsets.UTF_8), process.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
