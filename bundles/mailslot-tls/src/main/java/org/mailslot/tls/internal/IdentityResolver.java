package org.mailslot.tls.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;

/**
 * Which server identity a configuration means, checked before it is served: the certificate valid
 * now and the private key its own. Without a configured one, the generated self-signed identity in
 * its directory, made on first use and replaced when it is close to its end or broken.
 */
final class IdentityResolver {

    static final String SELF_SIGNED_KEY = "self-signed-key.pem";
    static final String SELF_SIGNED_CERTIFICATE = "self-signed-cert.pem";

    /** A generated identity this close to its end is replaced rather than served. */
    private static final Duration SELF_SIGNED_MARGIN = Duration.ofDays(7);

    private final Clock clock;
    private final Logger log;

    IdentityResolver(Clock clock, Logger log) {
        this.clock = clock;
        this.log = log;
    }

    /**
     * @return the identity the configuration names: a PKCS#12 entry, a PEM key with its
     *         certificates, or else the generated self-signed one (made or renewed when needed)
     * @throws MaterialException when none can be had, naming the file or the setting
     */
    Identity resolve(Settings settings, FileStamps stamps) throws MaterialException {
        if (settings.identityPkcs12 != null) {
            return pkcs12Identity(settings.identityPkcs12, settings.identityPkcs12Password, settings.identityAlias, stamps);
        }
        if (settings.identityKey != null) {
            return pemIdentity(settings.identityKey, settings.identityKeyPassword, settings.identityCertificates, false, stamps);
        }
        if (!settings.selfSigned) {
            throw new MaterialException(Settings.WHERE + ": no server identity: set identity.pkcs12, or identity.key and"
                    + " identity.certificates (self.signed.enabled is false)");
        }
        if (settings.selfSignedDirectory == null) {
            throw new MaterialException(Settings.WHERE + ": no server identity configured, and no directory for a generated"
                    + " one: set self.signed.directory (karaf.etc is not set)");
        }
        return selfSignedIdentity(settings.selfSignedDirectory, stamps);
    }

    private Identity selfSignedIdentity(Path directory, FileStamps stamps) throws MaterialException {
        Path key = directory.resolve(SELF_SIGNED_KEY);
        Path certificate = directory.resolve(SELF_SIGNED_CERTIFICATE);
        if (Files.exists(key) || Files.exists(certificate)) {
            String reason;
            try {
                Identity existing = pemIdentity(key, null, certificate, true, stamps);
                if (existing.info().notAfter().isAfter(clock.instant().plus(SELF_SIGNED_MARGIN))) {
                    return existing;
                }
                reason = "it expires on " + existing.info().notAfter();
            } catch (MaterialException e) {
                reason = e.getMessage();
            }
            log.warn("Replacing the generated self-signed TLS certificate in {}: {}", directory, reason);
        }
        try {
            SelfSignedIdentity.generate(directory, key, certificate, clock);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw MaterialException.of(directory, "cannot write a generated self-signed certificate (" + ErrorText.of(e) + ")");
        }
        log.info("Generated a self-signed TLS certificate in {}", directory);
        return pemIdentity(key, null, certificate, true, stamps);
    }

    private Identity pkcs12Identity(Path file, char[] password, String alias, FileStamps stamps) throws MaterialException {
        KeyStore store = Pkcs12File.load(file, password, stamps);
        try {
            String chosen = alias;
            if (chosen == null) {
                List<String> keyAliases = new ArrayList<>();
                for (String candidate : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(candidate)) {
                        keyAliases.add(candidate);
                    }
                }
                if (keyAliases.isEmpty()) {
                    throw MaterialException.of(file, "contains no private key");
                }
                if (keyAliases.size() > 1) {
                    throw MaterialException.of(file, "contains " + keyAliases.size() + " private keys " + keyAliases
                            + "; set identity.alias to choose one");
                }
                chosen = keyAliases.get(0);
            } else if (!store.isKeyEntry(chosen)) {
                throw MaterialException.of(file, "has no private key under the alias \"" + chosen + "\"");
            }
            Key key;
            try {
                key = store.getKey(chosen, password == null ? new char[0] : password);
            } catch (UnrecoverableKeyException e) {
                throw MaterialException.of(file, "wrong password for the private key \"" + chosen + "\"");
            }
            if (!(key instanceof PrivateKey privateKey)) {
                throw MaterialException.of(file, "the entry \"" + chosen + "\" is not a private key");
            }
            Certificate[] chain = store.getCertificateChain(chosen);
            if (chain == null || chain.length == 0) {
                throw MaterialException.of(file, "the private key \"" + chosen + "\" has no certificate");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
                certificates.add((X509Certificate) certificate);
            }
            return checked(privateKey, certificates, file, file, "PKCS#12 " + file + " (alias " + chosen + ")", false);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw MaterialException.of(file, "cannot be read (" + ErrorText.of(e) + ")");
        }
    }

    private Identity pemIdentity(Path keyFile, char[] password, Path certificateFile, boolean generated,
            FileStamps stamps) throws MaterialException {
        PrivateKey key = PemReader.privateKey(keyFile, password, stamps);
        List<X509Certificate> chain = PemReader.certificates(certificateFile, stamps);
        String source = generated
                ? "generated self-signed " + certificateFile
                : "PEM key " + keyFile + ", certificates " + certificateFile;
        return checked(key, chain, keyFile, certificateFile, source, generated);
    }

    private Identity checked(PrivateKey key, List<X509Certificate> chain, Path keyFile, Path certificateFile, String source,
            boolean generated) throws MaterialException {
        X509Certificate leaf = chain.get(0);
        String subject = leaf.getSubjectX500Principal().getName();
        Instant now = clock.instant();
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw MaterialException.of(certificateFile, "certificate " + subject + " is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw MaterialException.of(certificateFile, "certificate " + subject + " expired on " + leaf.getNotAfter().toInstant());
        }
        if (!matches(key, leaf.getPublicKey())) {
            throw MaterialException.of(keyFile, "the private key does not match the certificate " + subject
                    + (keyFile.equals(certificateFile) ? "" : " in " + certificateFile));
        }
        return new Identity(key, chain, IdentityInfo.of(leaf, source, generated, now));
    }

    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa) {
            return publicKey instanceof RSAKey rsaPublic && rsa.getModulus().equals(rsaPublic.getModulus());
        }
        String keyType = SingleKeyManager.keyType(key.getAlgorithm());
        String algorithm = switch (keyType) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            // No cheaper check for exotic keys; the handshake itself will tell.
            return keyType.equals(SingleKeyManager.keyType(publicKey.getAlgorithm()));
        }
        try {
            byte[] probe = "mailslot key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
