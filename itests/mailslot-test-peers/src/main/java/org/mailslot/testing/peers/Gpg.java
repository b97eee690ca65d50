package org.mailslot.testing.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * GnuPG with a throw-away home directory: batch mode, loopback pinentry, empty passphrases, every
 * key trusted. {@link #close()} stops the gpg-agent (and other daemons) that this home started.
 */
public final class Gpg implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path home;

    private Gpg(Path home) {
        this.home = home;
    }

    /**
     * @param home a directory for GNUPGHOME; created owner-only if missing
     * @return GnuPG using it
     */
    public static Gpg inHome(Path home) {
        try {
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
        } catch (IOException e) {
            throw new PeerException("cannot prepare GNUPGHOME " + home + ": " + e.getMessage(), e);
        }
        return new Gpg(home);
    }

    /** @return the home directory */
    public Path home() {
        return home;
    }

    /**
     * Runs gpg with this home and the batch options, whatever its exit status.
     *
     * @param stdin standard input, or null
     * @param arguments gpg arguments after the common ones
     * @return the run
     */
    public ToolRun run(byte[] stdin, String... arguments) {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--yes",
                "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", "--trust-model", "always"));
        command.addAll(Arrays.asList(arguments));
        return ToolRun.run(TIMEOUT, stdin, Map.of("GNUPGHOME", home.toString()), command);
    }

    /**
     * Generates an Ed25519 signing key with a Cv25519 encryption subkey, without passphrase.
     *
     * @param userId for example {@code <bob@example.org>}
     * @param expiry for example {@code 1y}, or {@code seconds=5}
     * @return the primary key's fingerprint
     */
    public String generateKey(String userId, String expiry) {
        run(null, "--quick-gen-key", userId, "ed25519", "sign", expiry).orThrow();
        String fingerprint = fingerprint(userId);
        run(null, "--quick-add-key", fingerprint, "cv25519", "encr", expiry).orThrow();
        return fingerprint;
    }

    /** @return the fingerprint of the (first) key with that user ID */
    public String fingerprint(String userId) {
        String listing = run(null, "--with-colons", "--list-keys", "=" + userId).orThrow().stdoutText();
        return listing.lines().filter(line -> line.startsWith("fpr:")).findFirst()
                .map(line -> line.split(":")[9])
                .orElseThrow(() -> new PeerException("gpg lists no fingerprint for " + userId + ":\n" + listing));
    }

    /** @return the armored public key */
    public byte[] exportPublic(String fingerprint) {
        return run(null, "--armor", "--export", fingerprint).orThrow().stdout();
    }

    /** @return the armored secret key (unprotected) */
    public byte[] exportSecret(String fingerprint) {
        return run(null, "--armor", "--export-secret-keys", fingerprint).orThrow().stdout();
    }

    /** Imports keys. */
    public void importKeys(byte[] keys) {
        run(keys, "--import").orThrow();
    }

    /** Revokes a key with a generated revocation certificate. */
    public void revoke(String fingerprint) {
        Path certificate = home.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev");
        try {
            String text = Files.readString(certificate, StandardCharsets.UTF_8);
            // gpg writes it with a colon prefix so that it cannot be imported by accident.
            importKeys(text.replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PeerException("no revocation certificate for " + fingerprint + " in " + certificate, e);
        }
    }

    /**
     * @return an armored message, signed by the signer (if not null) and encrypted to the recipients,
     *     without compression
     */
    public byte[] encrypt(byte[] data, String signer, String... recipients) {
        List<String> arguments = new ArrayList<>(List.of("--armor", "--compress-algo", "none"));
        if (signer != null) {
            arguments.addAll(List.of("--sign", "--local-user", signer));
        }
        arguments.add("--encrypt");
        for (String recipient : recipients) {
            arguments.addAll(List.of("--recipient", recipient));
        }
        return run(data, arguments.toArray(String[]::new)).orThrow().stdout();
    }

    /** @return an armored detached signature */
    public byte[] signDetached(byte[] data, String signer) {
        return run(data, "--armor", "--detach-sign", "--digest-algo", "SHA256", "--local-user", signer).orThrow().stdout();
    }

    /** @return the run of {@code --decrypt} with machine-readable status lines on standard error */
    public ToolRun decrypt(byte[] ciphertext) {
        return run(ciphertext, "--status-fd", "2", "--decrypt");
    }

    /** @return the run of {@code --verify} of a detached signature, with status lines on standard error */
    public ToolRun verifyDetached(byte[] signature, byte[] data) {
        try {
            Path signatureFile = Files.createTempFile(home, "sig-", ".asc");
            Path dataFile = Files.createTempFile(home, "data-", ".bin");
            Files.write(signatureFile, signature);
            Files.write(dataFile, data);
            return run(null, "--status-fd", "2", "--verify", signatureFile.toString(), dataFile.toString());
        } catch (IOException e) {
            throw new PeerException("cannot write files for gpg --verify: " + e.getMessage(), e);
        }
    }

    /** Stops the agent and any other daemon of this home. */
    @Override
    public void close() {
        ToolRun.run(TIMEOUT, null, Map.of(), List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"));
    }
}
