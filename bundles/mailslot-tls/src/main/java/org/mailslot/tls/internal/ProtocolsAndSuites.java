package org.mailslot.tls.internal;

import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.mailslot.api.tls.TlsService;

/** The protocols and cipher suites in force: the configured ones checked against the JDK, or the defaults. */
final class ProtocolsAndSuites {

    private ProtocolsAndSuites() {
    }

    /** @return the configured protocols, checked against what the JDK can use; the defaults when none is set */
    static List<String> protocols(Settings settings, SSLContext plain) throws MaterialException {
        if (settings.protocols.isEmpty()) {
            return TlsService.DEFAULT_PROTOCOLS;
        }
        List<String> usable = usableProtocols(plain);
        for (String protocol : settings.protocols) {
            if (!usable.contains(protocol)) {
                boolean supported = Arrays.asList(plain.getSupportedSSLParameters().getProtocols()).contains(protocol);
                throw new MaterialException(Settings.WHERE + ": protocols: \"" + protocol + "\" is "
                        + (supported ? "disabled in this JDK (jdk.tls.disabledAlgorithms)" : "not supported")
                        + "; usable: " + String.join(", ", usable));
            }
        }
        return List.copyOf(new LinkedHashSet<>(settings.protocols));
    }

    /** @return the configured suites, checked against the JDK; the server defaults when none is set */
    static List<String> cipherSuites(Settings settings, SSLContext plain) throws MaterialException {
        if (settings.cipherSuites.isEmpty()) {
            return defaultCipherSuites(plain);
        }
        Set<String> supported = Set.of(plain.getSupportedSSLParameters().getCipherSuites());
        for (String suite : settings.cipherSuites) {
            if (!supported.contains(suite)) {
                throw new MaterialException(Settings.WHERE + ": cipher.suites: \"" + suite + "\" is not supported by this JDK");
            }
        }
        return List.copyOf(new LinkedHashSet<>(settings.cipherSuites));
    }

    /**
     * The protocols the JDK supports and has not disabled. SSLv2Hello is no protocol of its own;
     * the JDK accepts a protocol it has disabled and then fails every handshake with it.
     */
    static List<String> usableProtocols(SSLContext plain) {
        Set<String> disabled = new HashSet<>();
        String property = Security.getProperty("jdk.tls.disabledAlgorithms");
        // The JDK's own syntax: comma-separated, entries such as "DH keySize < 1024" hold spaces.
        for (String entry : (property == null ? "" : property).split(",")) {
            disabled.add(entry.strip().toLowerCase(Locale.ROOT));
        }
        List<String> usable = new ArrayList<>();
        for (String protocol : plain.getSupportedSSLParameters().getProtocols()) {
            if (!protocol.equals("SSLv2Hello") && !disabled.contains(protocol.toLowerCase(Locale.ROOT))) {
                usable.add(protocol);
            }
        }
        return List.copyOf(usable);
    }

    /** @return the JDK's default suites the server accepts unless cipher.suites says otherwise */
    static List<String> defaultCipherSuites(SSLContext plain) {
        List<String> suites = new ArrayList<>();
        for (String suite : plain.getDefaultSSLParameters().getCipherSuites()) {
            if (aeadWithForwardSecrecy(suite)) {
                suites.add(suite);
            }
        }
        return List.copyOf(suites);
    }

    /**
     * What the delivery and retrieval clients offer unless {@code cipher.suites} says otherwise: the
     * JDK's defaults with forward secrecy and without broken primitives, CBC included, since an MTA
     * that has nothing better is still better reached over TLS than not at all.
     */
    static List<String> defaultClientCipherSuites(SSLContext plain) {
        List<String> suites = new ArrayList<>();
        for (String suite : plain.getDefaultSSLParameters().getCipherSuites()) {
            if (!weak(suite)) {
                suites.add(suite);
            }
        }
        return List.copyOf(suites);
    }

    /**
     * What the server accepts unless {@code cipher.suites} says otherwise: AEAD ciphers (AES-GCM,
     * ChaCha20-Poly1305) with an ephemeral key exchange, as TLS 1.3 has only. Under TLS 1.2 that
     * leaves out the CBC suites (SHA-1 and SHA-2 MACs, MAC-then-encrypt) and static RSA.
     */
    static boolean aeadWithForwardSecrecy(String suite) {
        boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
        boolean ephemeral = suite.startsWith("TLS_ECDHE_") || suite.startsWith("TLS_DHE_");
        boolean aead = suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_");
        return tls13 || (ephemeral && aead && !weak(suite));
    }

    /**
     * Broken primitives, and key exchanges without forward secrecy. The JDK disables most of the
     * former already; the latter (static RSA and static (EC)DH) it still enables by default.
     */
    static boolean weak(String suite) {
        return suite.startsWith("SSL_")
                || suite.startsWith("TLS_RSA_")
                || suite.startsWith("TLS_ECDH_")
                || suite.startsWith("TLS_DH_")
                || suite.startsWith("TLS_KRB5_")
                || suite.contains("_anon_")
                || suite.contains("_NULL_") || suite.endsWith("_NULL")
                || suite.contains("_EXPORT")
                || suite.contains("_DES_") || suite.contains("_DES40_") || suite.contains("3DES") || suite.contains("DES_EDE")
                || suite.contains("_RC4_")
                || suite.endsWith("_MD5");
    }
}
