package org.mailslot.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code gpgsm} (GnuPG 2.2) as a second S/MIME peer, with a private home directory. Its
 * agent, started on first use, is stopped by {@link #close()} ({@code gpgconf --homedir H --kill all}).
 *
 * <p>What gpgsm 2.2.40 (libksba 1.6.3) does, found by running it: it decrypts EnvelopedData with
 * AES-CBC and RSA PKCS#1 v1.5 key transport only — not AuthEnvelopedData/AES-GCM ("error getting
 * IV: Buffer too short"), not RSA-OAEP, not ECDH; it imports PKCS#12 only with the legacy
 * PBE-SHA1-3DES protection (not OpenSSL 3's default PBES2/AES) and crashes importing an EC
 * identity. It signs and verifies RSA and ECDSA signatures. Root certificates must be listed in
 * {@code trustlist.txt}.
 */
public final class Gpgsm implements AutoCloseable {

    /** Time allowed for one gpgsm run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * gpgsm 2.2's PKCS#12 parser refuses about one export in thirty that openssl made correctly ("error
     * at bag.data ... possibly bad passphrase"), depending on the export's random salt, not on the key:
     * a fresh export of the same key then imports.
     */
    private static final int P12_EXPORTS = 5;

    private final Path home;
    private final Path work;
    private int counter;

    private Gpgsm(Path home, Path work) {
        this.home = home;
        this.work = work;
    }

    /** @return true if gpgsm and gpgconf are installed */
    public static boolean isInstalled() {
        return Processes.isInstalled("gpgsm") && Processes.isInstalled("gpgconf");
    }

    /**
     * @param directory a private directory; the home is {@code directory/home} (mode 0700)
     * @return a gpgsm with an empty key box that allows loopback pinentry
     */
    public static Gpgsm create(Path directory) {
        try {
            Path home = directory.resolve("home");
            Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
            Files.writeString(home.resolve("gpgsm.conf"), "disable-crl-checks\ndisable-dirmngr\n");
            Path work = Files.createDirectories(directory.resolve("work"));
            return new Gpgsm(home, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports a certificate (PEM or DER). */
    public void importCertificate(Path certificate) {
        gpgsm(null, "--import", certificate.toString()).orThrow();
    }

    /**
     * Trusts a root CA for signatures and encryption by putting its SHA-1 fingerprint in trustlist.txt.
     *
     * @param sha1Fingerprint hex, with or without colons
     */
    public void trustRoot(String sha1Fingerprint) {
        try {
            Files.writeString(home.resolve("trustlist.txt"), sha1Fingerprint.replace(":", "").toUpperCase() + " S relax\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Imports an identity from a PEM key and certificate chain, made into a legacy PKCS#12 (PBE-SHA1-3DES) with
     * OpenSSL, since gpgsm 2.2 reads no other. The agent keeps the key protected by {@code passphrase}.
     */
    public void importIdentity(Path keyPem, Path certificatePem, Path caPem, String passphrase) {
        Processes.Result imported = null;
        for (int export = 0; export < P12_EXPORTS && (imported == null || !imported.succeeded()); export++) {
            Path p12 = next("p12");
            Processes.run(TIMEOUT, List.of("openssl", "pkcs12", "-export", "-inkey", keyPem.toString(), "-in",
                    certificatePem.toString(), "-certfile", caPem.toString(), "-out", p12.toString(), "-passout",
                    "pass:" + passphrase, "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1")).orThrow();
            imported = gpgsm(passphrase, "--import", p12.toString());
        }
        imported.orThrow();
    }

    /** @return the decrypted content of a DER or base64 CMS file; throws with gpgsm's output if it refuses */
    public byte[] decrypt(byte[] cms, String passphrase) {
        Path in = write("p7m", cms);
        Path out = next("plain");
        gpgsm(passphrase, "--output", out.toString(), "--decrypt", in.toString()).orThrow();
        return read(out);
    }

    /** Runs {@code --decrypt} and returns the result whatever it is. */
    public Processes.Result tryDecrypt(byte[] cms, String passphrase) {
        Path in = write("p7m", cms);
        return gpgsm(passphrase, "--output", next("plain").toString(), "--decrypt", in.toString());
    }

    /** @return the result of verifying a detached signature (DER or base64) over the content */
    public Processes.Result verifyDetached(byte[] signature, byte[] content) {
        Path sig = write("p7s", signature);
        Path data = write("data", content);
        return gpgsm(null, "--status-fd", "1", "--verify", sig.toString(), data.toString());
    }

    /** @return a detached signature (DER) over the content by the identity of {@code signer} */
    public byte[] signDetached(byte[] content, String signer, String passphrase) {
        Path data = write("data", content);
        Path out = next("p7s");
        gpgsm(passphrase, "--local-user", signer, "--include-certs", "-1", "--detach-sign", "--output", out.toString(),
                data.toString()).orThrow();
        return read(out);
    }

    /** @return the content encrypted (EnvelopedData, DER) to the certificates of the given recipients */
    public byte[] encrypt(byte[] content, String... recipients) {
        Path data = write("data", content);
        Path out = next("p7m");
        List<String> arguments = new ArrayList<>();
        for (String recipient : recipients) {
            arguments.add("--recipient");
            arguments.add(recipient);
        }
        arguments.addAll(List.of("--output", out.toString(), "--encrypt", data.toString()));
        gpgsm(null, arguments.toArray(String[]::new)).orThrow();
        return read(out);
    }

    /** Stops the agent this home started. */
    @Override
    public void close() {
        Processes.run(TIMEOUT, List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"));
    }

    private Processes.Result gpgsm(String passphrase, String... arguments) {
        List<String> command = new ArrayList<>(List.of("gpgsm", "--homedir", home.toString(), "--batch", "--yes",
                "--pinentry-mode", "loopback", "--disable-crl-checks"));
        byte[] stdin = null;
        if (passphrase != null) {
            command.addAll(List.of("--passphrase-fd", "0"));
            stdin = (passphrase + "\n").getBytes(StandardCharsets.UTF_8);
        }
        command.addAll(List.of(arguments));
        return Processes.run(TIMEOUT, stdin, command);
    }

    private Path write(String kind, byte[] content) {
        try {
            return Files.write(next(kind), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized Path next(String kind) {
        return work.resolve("gpgsm-" + (++counter) + "." + kind);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
