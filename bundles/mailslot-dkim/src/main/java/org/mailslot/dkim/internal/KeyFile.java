package org.mailslot.dkim.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.mailslot.api.dkim.DkimAlgorithm;

/**
 * A DKIM private key on disk: PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), or PKCS#1 ({@code BEGIN RSA
 * PRIVATE KEY}, as opendkim-genkey writes) for RSA. The JDK does the cryptography; Bouncy Castle only
 * derives an Ed25519 public key from its private key, which the JDK cannot.
 *
 * @param algorithm what the key signs with
 * @param privateKey the private key
 * @param publicKey its public key, for the DNS record
 * @param ed25519 the private key for Bouncy Castle's Ed25519 signer, null for RSA
 */
record KeyFile(DkimAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey, Ed25519PrivateKeyParameters ed25519) {

    KeyFile(DkimAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        this(algorithm, privateKey, publicKey, ed25519(algorithm, privateKey));
    }

    /** @return Bouncy Castle's form of an Ed25519 private key, null for any other key */
    static Ed25519PrivateKeyParameters ed25519(DkimAlgorithm algorithm, PrivateKey key) {
        if (algorithm != DkimAlgorithm.ED25519_SHA256) {
            return null;
        }
        byte[] seed = ((java.security.interfaces.EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the Ed25519 key hides its octets"));
        return new Ed25519PrivateKeyParameters(seed, 0);
    }

    /** RSA keys Mailslot generates: 2048 bits (RFC 8301 recommends at least 2048). */
    static final int RSA_BITS = 2048;

    /**
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException saying why the content is not a usable key
     */
    static KeyFile read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        boolean pkcs1 = pem.contains("-----BEGIN RSA PRIVATE KEY-----");
        String label = pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY";
        int begin = pem.indexOf("-----BEGIN " + label + "-----");
        int end = pem.indexOf("-----END " + label + "-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " is not a PEM private key (BEGIN PRIVATE KEY, PKCS#8)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + label.length() + 16, end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " holds invalid base64");
        }
        if (pkcs1) {
            der = Der.pkcs8OfRsa(der);
        }
        return of(file, der);
    }

    private static KeyFile of(Path file, byte[] pkcs8) {
        try {
            PrivateKey rsa = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) rsa;
            PublicKey publicKey = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new KeyFile(DkimAlgorithm.RSA_SHA256, rsa, publicKey);
        } catch (GeneralSecurityException | ClassCastException notRsa) {
            try {
                PrivateKey ed = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                return new KeyFile(DkimAlgorithm.ED25519_SHA256, ed, ed25519Public(ed));
            } catch (GeneralSecurityException | RuntimeException notEd) {
                throw new IllegalArgumentException(file + " is neither an RSA nor an Ed25519 private key");
            }
        }
    }

    private static PublicKey ed25519Public(PrivateKey key) throws GeneralSecurityException {
        byte[] seed = ((java.security.interfaces.EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new GeneralSecurityException("the Ed25519 key hides its octets"));
        byte[] encoded = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        // RFC 8032: little-endian y with the sign of x in the top bit.
        boolean xOdd = (encoded[31] & 0x80) != 0;
        encoded[31] &= 0x7f;
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = encoded[31 - i];
        }
        return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519,
                new EdECPoint(xOdd, new java.math.BigInteger(1, bigEndian))));
    }

    /** @return a new key pair of the algorithm's type */
    static KeyFile generate(DkimAlgorithm algorithm) throws GeneralSecurityException {
        KeyPairGenerator generator;
        if (algorithm == DkimAlgorithm.RSA_SHA256) {
            generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
        } else {
            generator = KeyPairGenerator.getInstance("Ed25519");
        }
        KeyPair pair = generator.generateKeyPair();
        return new KeyFile(algorithm, pair.getPrivate(), pair.getPublic());
    }

    /**
     * Writes the private key as PKCS#8 PEM, readable and writable by its owner only (0600), never
     * replacing an existing file.
     *
     * @throws FileAlreadyExistsException if the file exists
     */
    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path temp = Files.createTempFile(file.getParent(), ".dkim-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, pem, StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** @return the TXT record that publishes this key */
    String dnsRecord() {
        return KeyRecord.publish(algorithm, publicKey);
    }
}
