package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.NonBlockingSubmission;

/**
 * A message that waits for its sender checks is not held whole in memory: past a small message it
 * goes to a spill file, from which the checks read it; nothing reaches the spool before they decide.
 */
class IncomingMessageTest {

    private static final int MESSAGE_SIZE = 8 * 1024 * 1024;

    @Test
    void aLargeMessageWaitingForItsChecksHoldsAtMostASmallMessageInMemoryAndReadsBackWhole() throws Exception {
        MemorySubmission spool = new MemorySubmission();
        spool.keepBytes = false;
        MessageWriter writer = spool.begin(null);
        SpoolSteps steps = new SpoolSteps("test", new InetSocketAddress(InetAddress.getLoopbackAddress(), 2500),
                Runnable::run, Runnable::run, () -> { });
        SenderCheck check = new SenderCheck(null, InetAddress.getLoopbackAddress(), "peer.example", "a@bank.example");
        IncomingMessage message = new IncomingMessage(new DataReceiver(16 * 1024 * 1024), writer, false, steps, 200, check);
        Set<Path> spillsBefore = spills();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        byte[] header = "From: a@bank.example\r\nSubject: large\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = ("x".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int largestHeld = 0;

        largestHeld = feed(message, header, sent, largestHeld);
        for (long size = header.length; size < MESSAGE_SIZE; size += line.length) {
            largestHeld = feed(message, line, sent, largestHeld);
        }
        message.receive(".\r\n".getBytes(StandardCharsets.US_ASCII), 0, 3);

        assertThat(message.ended()).isTrue();
        assertThat(message.verdict()).isEqualTo(DataReceiver.Verdict.COMPLETE);
        assertThat(largestHeld).as("octets held in memory at most").isLessThanOrEqualTo(NonBlockingSubmission.SMALL_MESSAGE);
        assertThat(spool.bytesInFlight).as("octets in the spool before the checks decided").hasValue(0);
        Set<Path> spilled = spills();
        spilled.removeAll(spillsBefore);
        assertThat(spilled).singleElement().satisfies(file -> assertThat(Files.size(file))
                .isGreaterThan(MESSAGE_SIZE - NonBlockingSubmission.SMALL_MESSAGE));
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = message.content().open()) {
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read.update(buffer, 0, n);
            }
        }
        assertThat(read.digest()).as("the message read back for the checks").isEqualTo(sent.digest());

        message.releaseSpill();
        assertThat(spilled.iterator().next()).doesNotExist();
    }

    /** Hands the octets over as the session does, a netty read at a time, and notes the largest held buffer. */
    private static int feed(IncomingMessage message, byte[] octets, MessageDigest sent, int largestHeld) {
        sent.update(octets);
        int at = 0;
        while (at < octets.length) {
            at = message.receive(octets, at, octets.length);
        }
        return Math.max(largestHeld, message.held().length);
    }

    static Set<Path> spills() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("mailslot-checked-"))
                    .collect(Collectors.toSet());
        }
    }
}
