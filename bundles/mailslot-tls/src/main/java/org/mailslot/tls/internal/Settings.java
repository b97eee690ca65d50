package org.mailslot.tls.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

import org.mailslot.api.tls.TlsService;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.support.config.ListProperty;

/**
 * The configuration, checked and with paths resolved. Holds passwords, so it has no
 * {@code toString} and is never logged.
 */
final class Settings {

    static final String WHERE = "configuration " + TlsService.PID;

    final Path identityPkcs12;
    final char[] identityPkcs12Password;
    final String identityAlias;
    final Path identityKey;
    final char[] identityKeyPassword;
    final Path identityCertificates;
    final Path trustPem;
    final Path trustPkcs12;
    final char[] trustPkcs12Password;
    final boolean jdkTrust;
    final List<String> protocols;
    final List<String> cipherSuites;
    final boolean selfSigned;
    final Path selfSignedDirectory;

    private Settings(TlsServiceImpl.Config config, String karafEtc) throws MaterialException {
        identityPkcs12 = path("identity.pkcs12", config.identity_pkcs12());
        identityPkcs12Password = chars(config._identity_pkcs12_password());
        identityAlias = blankToNull(config.identity_alias());
        identityKey = path("identity.key", config.identity_key());
        identityKeyPassword = chars(config._identity_key_password());
        identityCertificates = path("identity.certificates", config.identity_certificates());
        trustPem = path("trust.pem", config.trust_pem());
        trustPkcs12 = path("trust.pkcs12", config.trust_pkcs12());
        trustPkcs12Password = chars(config._trust_pkcs12_password());
        jdkTrust = config.trust_jdk_defaults();
        protocols = ListProperty.split(WHERE + ": protocols", config.protocols());
        cipherSuites = ListProperty.split(WHERE + ": cipher.suites", config.cipher_suites());
        selfSigned = config.self_signed_enabled();
        try {
            DurationProperty.zeroOrMore(WHERE + ": reload.interval.seconds", config.reload_interval_seconds());
        } catch (IllegalArgumentException e) {
            throw new MaterialException(e.getMessage(), e);
        }
        Path directory = path("self.signed.directory", config.self_signed_directory());
        if (directory == null && karafEtc != null && !karafEtc.isBlank()) {
            directory = path("karaf.etc", karafEtc).resolve("mailslot").resolve("tls");
        }
        selfSignedDirectory = directory;

        if (identityPkcs12 != null && (identityKey != null || identityCertificates != null)) {
            throw new MaterialException(WHERE + ": set either identity.pkcs12 or identity.key with identity.certificates, not both");
        }
        if ((identityKey == null) != (identityCertificates == null)) {
            throw new MaterialException(WHERE + ": identity.key and identity.certificates go together; "
                    + (identityKey == null ? "identity.key" : "identity.certificates") + " is missing");
        }
    }

    static Settings of(TlsServiceImpl.Config config, String karafEtc) throws MaterialException {
        return new Settings(config, karafEtc);
    }

    boolean identityConfigured() {
        return identityPkcs12 != null || identityKey != null;
    }

    private static Path path(String key, String value) throws MaterialException {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new MaterialException(WHERE + ": " + key + " is not a valid path: " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static char[] chars(String value) {
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }
}
