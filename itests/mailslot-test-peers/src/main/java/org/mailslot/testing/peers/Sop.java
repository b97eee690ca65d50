package org.mailslot.testing.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Stateless OpenPGP command line ({@code sqop}, {@code pgpainless-cli}): keys and certificates
 * are files in a work directory, data goes through standard input and output.
 */
public final class Sop {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String program;
    private final Path work;

    /**
     * @param program {@code sqop} or {@code pgpainless-cli}
     * @param work a directory for key, certificate and result files
     */
    public Sop(String program, Path work) {
        this.program = program;
        this.work = work;
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new PeerException("cannot create " + work, e);
        }
    }

    /** @return the program name */
    public String program() {
        return program;
    }

    /** @return a run of the program, whatever its exit status */
    public ToolRun run(byte[] stdin, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(Arrays.asList(arguments));
        return ToolRun.run(TIMEOUT, stdin, Map.of(), command);
    }

    /** @return the file of a new secret key (armored) for the user ID */
    public Path generateKey(String userId) {
        return save("key-", run(null, "generate-key", userId).orThrow().stdout());
    }

    /** @return the file of the certificate (armored) of the key in that file */
    public Path extractCert(Path key) {
        return save("cert-", run(read(key), "extract-cert").orThrow().stdout());
    }

    /** @return an armored message encrypted to the certificates, signed by the key if not null */
    public byte[] encrypt(byte[] data, Path signingKey, Path... certificates) {
        List<String> arguments = new ArrayList<>(List.of("encrypt"));
        if (signingKey != null) {
            arguments.add("--sign-with=" + signingKey);
        }
        for (Path certificate : certificates) {
            arguments.add(certificate.toString());
        }
        return run(data, arguments.toArray(String[]::new)).orThrow().stdout();
    }

    /** @return an armored detached signature */
    public byte[] sign(byte[] data, Path key) {
        return run(data, "sign", "--as=binary", key.toString()).orThrow().stdout();
    }

    /**
     * The outcome of a decryption.
     *
     * @param run the run, with the plaintext as standard output
     * @param verifications the verification lines written, empty if none verified
     */
    public record Decryption(ToolRun run, String verifications) {
    }

    /** Decrypts with the key, checking signatures against the certificate. */
    public Decryption decrypt(byte[] ciphertext, Path key, Path verifyWith) {
        Path verifications = work.resolve("verifications-" + System.nanoTime() + ".txt");
        ToolRun run = run(ciphertext, "decrypt", "--verifications-out=" + verifications, "--verify-with=" + verifyWith,
                key.toString());
        String lines = "";
        try {
            if (Files.exists(verifications)) {
                lines = Files.readString(verifications, StandardCharsets.UTF_8);
                Files.delete(verifications);
            }
        } catch (IOException e) {
            throw new PeerException("cannot read " + verifications, e);
        }
        return new Decryption(run, lines);
    }

    /** @return the run of {@code verify} of a detached signature over the data */
    public ToolRun verify(byte[] signature, byte[] data, Path certificate) {
        Path signatureFile = save("sig-", signature);
        return run(data, "verify", signatureFile.toString(), certificate.toString());
    }

    /** @return the bytes of a file */
    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PeerException("cannot read " + file, e);
        }
    }

    private Path save(String prefix, byte[] bytes) {
        try {
            Path file = Files.createTempFile(work, prefix, ".asc");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new PeerException("cannot write in " + work, e);
        }
    }
}
