package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashSafetyTest {

    @TempDir
    Path dir;

    @Test
    void everyReceiptPrintedBeforeAKill9IsRecovered() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", classpath, CrashWriter.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<String, String> receipts = new ConcurrentHashMap<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    String[] parts = line.split(" ");
                    if (parts.length == 3 && parts[0].equals("OK")) {
                        receipts.put(parts[1], parts[2]);
                    }
                }
            } catch (java.io.IOException e) {
                // the child died: that is the point
            }
        });
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> receipts.size() >= 500 || !child.isAlive());
            assertThat(child.isAlive()).as("the writer is still submitting").isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        Map<String, String> acknowledged = Map.copyOf(receipts);

        try (FileSpool recovered = new FileSpool(dir, 1024 * 1024, SpoolIo.SYSTEM, Clock.systemUTC())) {
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);
            for (Map.Entry<String, String> receipt : acknowledged.entrySet()) {
                SpoolEntry entry = recovered.entry(receipt.getKey())
                        .orElseThrow(() -> new AssertionError("acknowledged " + receipt + " was lost"));
                assertThat(new String(Fixtures.read(entry.body()), StandardCharsets.UTF_8))
                        .contains("Subject: " + receipt.getValue() + "\r\n")
                        .endsWith(receipt.getValue() + " " + "x".repeat(2000) + "\r\n");
            }
            assertThat(Fixtures.files(dir.resolve("tmp"))).isEmpty();
            assertThat(recovered.depth()).isGreaterThanOrEqualTo(acknowledged.size());
            List<String> unreadable = Fixtures.files(dir.resolve("queue")).stream().map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".corrupt")).toList();
            assertThat(unreadable).isEmpty();
        }
    }
}
