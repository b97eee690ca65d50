package org.mailslot.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.mailslot.testing.peers.PeerException;
import org.mailslot.testing.peers.Processes;

/** Postfix's load generator, one message per connection, as in the issues' Postfix figures. */
final class SmtpSource {

    private SmtpSource() {
    }

    /**
     * @param messageFile the message with LF line ends ({@code -F} sends each line with CRLF)
     * @param output where smtp-source's output goes (it prints nothing when every message was answered 250)
     * @return nanoseconds from smtp-source's start to its exit, which is when the last message was answered
     */
    static long run(Path messageFile, Path output, String host, int port, int sessions, int messages, String sender,
            String recipient) throws Exception {
        List<String> command = List.of(Processes.which("smtp-source").toString(), "-4", "-m", Integer.toString(messages),
                "-s", Integer.toString(sessions), "-F", messageFile.toString(), "-f", sender, "-t", recipient,
                "-M", "bench.test", host + ":" + port);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new PeerException(String.join(" ", command) + " did not finish in 300 s");
        }
        long nanos = System.nanoTime() - start;
        String printed = Files.readString(output);
        if (process.exitValue() != 0 || !printed.isBlank()) {
            throw new PeerException(String.join(" ", command) + " exited " + process.exitValue() + ": " + printed);
        }
        return nanos;
    }
}
