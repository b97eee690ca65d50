package org.mailslot.testing.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A private key with its certificate chain (the end-entity certificate first, the issuing CA's
 * last), as issued by {@link TestCa}, writable in the forms that peers and Mailslot read.
 */
public final class IssuedCertificate {

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    IssuedCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /** @return the private key */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** @return the end-entity certificate */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** @return the chain: end-entity certificate first, issuing CA certificate last */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** @return the private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) */
    public String privateKeyPem() {
        try {
            return TestCa.pem(new JcaPKCS8Generator(privateKey, null).generate());
        } catch (IOException e) {
            throw new PeerException("cannot encode the private key", e);
        }
    }

    /** @return the chain as concatenated PEM certificates, end-entity first */
    public String chainPem() {
        StringBuilder out = new StringBuilder();
        chain.forEach(cert -> out.append(TestCa.pem(cert)));
        return out.toString();
    }

    /**
     * Writes the private key as PKCS#8 PEM with mode 0600.
     *
     * @param file the target file
     * @return the file
     */
    public Path writeKeyPem(Path file) {
        return Processes.write(file, privateKeyPem(), "rw-------");
    }

    /**
     * Writes the certificate chain as PEM with mode 0644.
     *
     * @param file the target file
     * @return the file
     */
    public Path writeChainPem(Path file) {
        return Processes.write(file, chainPem(), "rw-r--r--");
    }

    /**
     * Writes key and chain into one PEM file (mode 0600), the form of Postfix's
     * {@code smtpd_tls_chain_files} and of many other servers.
     *
     * @param file the target file
     * @return the file
     */
    public Path writeKeyAndChainPem(Path file) {
        return Processes.write(file, privateKeyPem() + chainPem(), "rw-------");
    }

    /**
     * @param alias the key entry's alias
     * @param password the key and store password
     * @return a PKCS#12 key store holding the key and chain
     */
    public KeyStore toPkcs12(String alias, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, privateKey, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new PeerException("cannot build a PKCS#12 key store", e);
        }
    }

    /**
     * Writes key and chain as a PKCS#12 file (mode 0600).
     *
     * @param file the target file
     * @param alias the key entry's alias
     * @param password the key and store password
     * @return the file
     */
    public Path writePkcs12(Path file, String alias, char[] password) {
        return store(toPkcs12(alias, password), file, password);
    }

    /** @return a server TLS context presenting this key and chain */
    public SSLContext serverSslContext() {
        char[] password = "changeit".toCharArray();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(toPkcs12("server", password), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new PeerException("cannot build a server TLS context", e);
        }
    }

    static Path store(KeyStore store, Path file, char[] password) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new PeerException("cannot write " + file, e);
        }
    }
}
