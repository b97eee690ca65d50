package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * TLS as an attacker or a careless operator meets it on the distribution's submission port, with
 * OpenSSL's s_client as the client (STARTTLS, then TLS 1.2).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class TlsHardeningIT extends MailslotTestSupport {

    private final int port = freePort();
    private org.osgi.service.cm.Configuration tls;

    @Before
    public void listen() throws IOException {
        createFactoryConfiguration("org.mailslot.listener", "tls-hardening", Map.of(
                "address", "127.0.0.1", "port", port, "strategy", 587));
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                .containsPattern("tls-hardening.*127.0.0.1:" + port + ".*(?i)bound"));
    }

    @After
    public void removeConfigurations() throws IOException {
        deleteCreatedConfigurations();
        if (tls != null) {
            tls.delete();
        }
    }

    @Test
    public void aProtocolTheJdkHasDisabledIsRefusedAndStatusSaysWhy() throws Exception {
        tls = configurationAdmin.getConfiguration("org.mailslot.tls", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("protocols", "TLSv1,SSLv3");
        tls.update(properties);

        await().untilAsserted(() -> assertThat(status())
                .contains("protocols: \"TLSv1\" is disabled in this JDK (jdk.tls.disabledAlgorithms)")
                .containsPattern("protocols\\s+\\| TLSv1.3, TLSv1.2"));
        OpenSsl tls12 = OpenSsl.run(port, null, "-tls1_2");
        assertThat(tls12.exitCode()).as(tls12.output()).isZero();
        assertThat(tls12.output()).contains("Protocol  : TLSv1.2");
    }

    @Test
    public void cbcSuitesAreNotNegotiableUnderTls12() throws Exception {
        OpenSsl cbc = OpenSsl.run(port, null, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA");
        assertThat(cbc.exitCode()).as(cbc.output()).isNotZero();
        assertThat(cbc.output()).containsIgnoringCase("handshake failure");

        OpenSsl gcm = OpenSsl.run(port, null, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256");
        assertThat(gcm.exitCode()).as(gcm.output()).isZero();
        assertThat(gcm.output()).containsPattern("Cipher is ECDHE-(ECDSA|RSA)-AES128-GCM-SHA256");
    }

    @Test
    public void clientInitiatedRenegotiationIsRefused() throws Exception {
        assertThat(System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation")).isEqualTo("true");

        OpenSsl renegotiation = OpenSsl.run(port, "NOOP\nR\n", "-tls1_2");

        // Allowed, the renegotiation would succeed and the session go on until the client quits.
        assertThat(renegotiation.output()).contains("250").contains("RENEGOTIATING");
        assertThat(renegotiation.exitCode()).as("the server ended the session: " + renegotiation.output()).isNotEqualTo(-1);
    }

    /** One run of {@code openssl s_client -starttls smtp}; what it sends is written, then it waits to be ended. */
    private record OpenSsl(int exitCode, String output) {

        static OpenSsl run(int port, String input, String... options) throws Exception {
            List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-starttls", "smtp",
                    "-connect", "127.0.0.1:" + port, "-servername", "localhost"));
            command.addAll(List.of(options));
            Path log = Files.createTempFile("s_client", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (input == null) {
                builder.redirectInput(new File("/dev/null"));
            }
            Process process = builder.start();
            try {
                if (input != null) {
                    OutputStream stdin = process.getOutputStream();
                    for (String line : input.split("(?<=\n)")) {
                        stdin.write(line.getBytes(StandardCharsets.US_ASCII));
                        stdin.flush();
                        String sent = line.strip();
                        // Each line only once the one before it has had its answer (or, for R, the handshake).
                        await().until(() -> Files.readString(log, StandardCharsets.ISO_8859_1)
                                .contains(sent.equals("NOOP") ? "250 " : "RENEGOTIATING"));
                    }
                    // The input stays open: only the server can end this session now.
                }
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    return new OpenSsl(-1, Files.readString(log, StandardCharsets.ISO_8859_1) + "\n(still connected after 30 s)");
                }
                return new OpenSsl(process.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(log);
            }
        }
    }
}
