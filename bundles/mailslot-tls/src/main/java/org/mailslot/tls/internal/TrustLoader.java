package org.mailslot.tls.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.mailslot.support.text.ErrorText;

/** The trust anchors for verifying peers: the JDK's, a PEM file's and a PKCS#12 file's. */
final class TrustLoader {

    private TrustLoader() {
    }

    /**
     * @return the anchors the configuration names (trust.pem, trust.pkcs12) with the JDK's unless
     *         trust.jdk.defaults is false
     * @throws MaterialException when a file is bad or no anchor is left at all
     */
    static Material.Trust load(Settings settings, FileStamps stamps) throws MaterialException, GeneralSecurityException {
        List<X509Certificate> extra = new ArrayList<>();
        if (settings.trustPem != null) {
            extra.addAll(PemReader.certificates(settings.trustPem, stamps));
        }
        if (settings.trustPkcs12 != null) {
            extra.addAll(trustStore(settings.trustPkcs12, settings.trustPkcs12Password, stamps));
        }
        List<X509Certificate> jdk = settings.jdkTrust ? jdkAnchors() : List.of();
        if (jdk.isEmpty() && extra.isEmpty()) {
            throw new MaterialException(Settings.WHERE
                    + ": no trust anchors: trust.jdk.defaults is false and neither trust.pem nor trust.pkcs12 is set");
        }
        return of(jdk, extra);
    }

    /** @return trust managers over the JDK's anchors and the extra ones */
    static Material.Trust of(List<X509Certificate> jdk, List<X509Certificate> extra) throws GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate certificate : jdk) {
            anchors.setCertificateEntry("jdk-" + i++, certificate);
        }
        for (X509Certificate certificate : extra) {
            anchors.setCertificateEntry("extra-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        return new Material.Trust(factory.getTrustManagers(), extra.size());
    }

    /** @return the JDK's default trust anchors (its cacerts) */
    static List<X509Certificate> jdkAnchors() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return List.of(x509.getAcceptedIssuers());
            }
        }
        return List.of();
    }

    private static List<X509Certificate> trustStore(Path file, char[] password, FileStamps stamps) throws MaterialException {
        KeyStore store = Pkcs12File.load(file, password, stamps);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate) {
                    certificates.add(certificate);
                }
            }
        } catch (GeneralSecurityException e) {
            throw MaterialException.of(file, "cannot be read (" + ErrorText.of(e) + ")");
        }
        if (certificates.isEmpty()) {
            throw MaterialException.of(file, "contains no trusted certificate entries");
        }
        return certificates;
    }
}
