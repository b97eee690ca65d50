package org.mailslot.openpgp.internal;

import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Locale;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA providers, passed as objects so that nothing is registered JVM-wide. Bouncy Castle does
 * the OpenPGP public-key work; the JDK does AES (SunJCE, with AES-NI) and the message digests
 * (SUN, with its SHA intrinsics), many times faster here than Bouncy Castle's pure-Java ones.
 */
final class Providers {

    static final Provider BC = new BouncyCastleProvider();
    static final Provider SYMMETRIC = jdkOr("SunJCE");
    static final Provider DIGEST = jdkOr("SUN");
    /** Bouncy Castle with the JDK's digests, for signature verification (which has no digest provider setting). */
    static final Provider VERIFY = new JdkDigests(BC, DIGEST);
    static final SecureRandom RANDOM = new SecureRandom();

    private Providers() {
    }

    private static Provider jdkOr(String name) {
        Provider provider = Security.getProvider(name);
        return provider != null ? provider : BC;
    }

    /** Answers MessageDigest requests from one provider and everything else from another. */
    private static final class JdkDigests extends Provider {

        private static final long serialVersionUID = 1L;

        private final transient Provider everything;
        private final transient Provider digests;

        JdkDigests(Provider everything, Provider digests) {
            super("MailslotOpenPGP", "1.0", "Bouncy Castle, with the JDK's message digests");
            this.everything = everything;
            this.digests = digests;
        }

        @Override
        public Service getService(String type, String algorithm) {
            if ("MessageDigest".equalsIgnoreCase(type) && digests != everything) {
                Service digest = digests.getService(type, jdkDigestName(algorithm));
                if (digest != null) {
                    return digest;
                }
            }
            return everything.getService(type, algorithm);
        }

        /** Bouncy Castle asks for "SHA256"; the JDK's name is "SHA-256". */
        private static String jdkDigestName(String algorithm) {
            String upper = algorithm.toUpperCase(Locale.ROOT);
            if (upper.matches("SHA(1|224|256|384|512)")) {
                return "SHA-" + upper.substring(3);
            }
            return algorithm;
        }
    }
}
