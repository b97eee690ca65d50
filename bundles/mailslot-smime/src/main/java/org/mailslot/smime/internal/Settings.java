package org.mailslot.smime.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.mailslot.support.config.ListProperty;
import org.mailslot.support.keys.StorePassphrase;

/**
 * The configuration of {@code org.mailslot.smime}, checked, with paths
 * resolved and files read. Holds the passphrase, so it has no {@code toString} and is never logged.
 */
final class Settings {

    static final String WHERE = "configuration " + SmimeComponent.PID;

    final Path keysRoot;
    final Path directory;
    final String configuredPassphrase;
    final List<X509Certificate> trustAnchors;
    final List<X509CRL> crls;
    final LegacyRecipients legacyRecipients;
    final KeyGeneration.KeyType generateKeyType;

    private Settings(SmimeComponent.Config config, String karafEtc) throws IOException {
        Path etc = path("karaf.etc", karafEtc);
        Path configuredDirectory = path("smime.directory", config.smime_directory());
        if (etc == null && configuredDirectory == null) {
            throw new IOException(WHERE + ": smime.directory is not set and the system property karaf.etc is missing");
        }
        keysRoot = etc != null ? etc.resolve("mailslot").resolve("keys") : configuredDirectory.getParent();
        directory = configuredDirectory != null ? configuredDirectory : keysRoot.resolve("smime");
        String passphrase = config._keys_passphrase();
        configuredPassphrase = passphrase == null || passphrase.isEmpty() ? null : passphrase;
        Path trustPem = path("smime.trust.pem", config.smime_trust_pem());
        trustAnchors = trustPem == null ? List.of() : readAnchors(trustPem);
        List<X509CRL> readCrls = new ArrayList<>();
        for (String entry : ListProperty.split(WHERE + ": smime.crls", config.smime_crls())) {
            readCrls.addAll(readCrls(path("smime.crls", entry)));
        }
        crls = List.copyOf(readCrls);
        try {
            legacyRecipients = new LegacyRecipients(ListProperty.split(WHERE + ": smime.legacy.recipients", config.smime_legacy_recipients()));
            generateKeyType = KeyGeneration.KeyType.fromConfig(config.smime_generate_key());
        } catch (IllegalArgumentException e) {
            throw new IOException(WHERE + ": " + e.getMessage(), e);
        }
    }

    static Settings of(SmimeComponent.Config config, String karafEtc) throws IOException {
        return new Settings(config, karafEtc);
    }

    Path passphraseFile() {
        return keysRoot.resolve(StorePassphrase.FILE_NAME);
    }

    private static List<X509Certificate> readAnchors(Path file) throws IOException {
        List<X509Certificate> anchors = Certificates.parseAll(Files.readAllBytes(file));
        if (anchors.isEmpty()) {
            throw new IOException(WHERE + ": smime.trust.pem " + file + " holds no certificate");
        }
        return List.copyOf(anchors);
    }

    private static List<X509CRL> readCrls(Path file) throws IOException {
        try {
            List<X509CRL> result = new ArrayList<>();
            for (var crl : Certificates.factory().generateCRLs(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                result.add((X509CRL) crl);
            }
            if (result.isEmpty()) {
                throw new IOException(WHERE + ": smime.crls " + file + " holds no CRL");
            }
            return result;
        } catch (CRLException e) {
            throw new IOException(WHERE + ": smime.crls " + file + " is not a PEM or DER CRL: " + e.getMessage(), e);
        }
    }

    private static Path path(String key, String value) throws IOException {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Path.of(value.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IOException(WHERE + ": " + key + " is not a valid path: " + e.getMessage(), e);
        }
    }
}
