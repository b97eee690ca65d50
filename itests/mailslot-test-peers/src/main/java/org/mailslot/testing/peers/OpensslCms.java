package org.mailslot.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code openssl cms} as an S/MIME peer: encrypts, decrypts, signs and verifies messages
 * in files of a working directory. Inputs and outputs are the bytes of MIME entities or messages;
 * OpenSSL writes S/MIME with LF line endings, which {@link #crlf} turns into the CR LF of mail.
 *
 * <pre>{@code
 * OpensslCms openssl = new OpensslCms(tempDir);
 * byte[] smime = openssl.encrypt(entity, "-aes-256-gcm", List.of(bobCertPem));
 * byte[] plain = openssl.decrypt(smime, bobCertPem, bobKeyPem);
 * }</pre>
 */
public final class OpensslCms {

    /** Time allowed for one openssl run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private int counter;

    /** @param directory a private working directory for inputs and outputs */
    public OpensslCms(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return true if the openssl program is installed */
    public static boolean isInstalled() {
        return Processes.isInstalled("openssl");
    }

    /**
     * @param entity the MIME entity to encrypt (its content headers and body)
     * @param cipher for example {@code -aes-256-gcm} (AuthEnvelopedData) or {@code -aes-256-cbc} (EnvelopedData)
     * @param recipients PEM certificate files
     * @param keyOptions extra {@code -keyopt} values, e.g. {@code rsa_padding_mode:oaep}
     * @return the S/MIME entity (application/pkcs7-mime), CR LF line endings
     */
    public byte[] encrypt(byte[] entity, String cipher, List<Path> recipients, String... keyOptions) {
        Path in = write("plain", entity);
        Path out = next("p7m");
        List<String> command = new ArrayList<>(List.of("openssl", "cms", "-encrypt", "-binary", cipher, "-in", in.toString(),
                "-out", out.toString()));
        for (Path recipient : recipients) {
            command.add("-recip");
            command.add(recipient.toString());
            for (String option : keyOptions) {
                command.add("-keyopt");
                command.add(option);
            }
        }
        Processes.run(TIMEOUT, command).orThrow();
        return crlf(read(out));
    }

    /**
     * @param smime an S/MIME message or entity (application/pkcs7-mime)
     * @return the decrypted entity, as OpenSSL gives it
     * @throws PeerException if openssl refuses it (its output says why)
     */
    public byte[] decrypt(byte[] smime, Path certificate, Path key) {
        Path in = write("p7m", smime);
        Path out = next("plain");
        Processes.run(TIMEOUT, List.of("openssl", "cms", "-decrypt", "-binary", "-in", in.toString(), "-recip",
                certificate.toString(), "-inkey", key.toString(), "-out", out.toString())).orThrow();
        return read(out);
    }

    /**
     * Signs an entity, detached (multipart/signed) unless {@code opaque}.
     *
     * @param headers extra openssl options such as {@code -from a -to b -subject s}, which become header fields
     * @return the signed message, CR LF line endings
     */
    public byte[] sign(byte[] entity, Path certificate, Path key, boolean opaque, String... headers) {
        Path in = write("plain", entity);
        Path out = next("signed");
        List<String> command = new ArrayList<>(List.of("openssl", "cms", "-sign", "-in", in.toString(), "-signer",
                certificate.toString(), "-inkey", key.toString(), "-md", "sha256", "-out", out.toString()));
        if (opaque) {
            command.add("-nodetach");
        }
        command.addAll(List.of(headers));
        Processes.run(TIMEOUT, command).orThrow();
        return crlf(read(out));
    }

    /**
     * Verifies a signed S/MIME message against a CA file.
     *
     * @return the result: exit status 0 and "Verification successful" when good; the signed content is not returned
     */
    public Processes.Result verify(byte[] smime, Path caFile, String... options) {
        Path in = write("signed", smime);
        Path out = next("content");
        List<String> command = new ArrayList<>(List.of("openssl", "cms", "-verify", "-in", in.toString(), "-CAfile",
                caFile.toString(), "-purpose", "smimesign", "-out", out.toString()));
        command.addAll(List.of(options));
        return Processes.run(TIMEOUT, command);
    }

    /** Runs any openssl command with the working directory's conventions. */
    public Processes.Result run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        return Processes.run(TIMEOUT, command);
    }

    /** @return the octets with every bare LF turned into CR LF */
    public static byte[] crlf(byte[] octets) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(octets.length + octets.length / 40);
        for (int i = 0; i < octets.length; i++) {
            if (octets[i] == '\n' && (i == 0 || octets[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(octets[i]);
        }
        return out.toByteArray();
    }

    /** Writes bytes to a new file of the working directory. */
    public Path write(String kind, byte[] content) {
        Path file = next(kind);
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized Path next(String kind) {
        return directory.resolve("openssl-" + (++counter) + "." + kind);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
