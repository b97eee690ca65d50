package org.mailslot.smime.internal;

import java.security.Provider;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA providers, passed as objects so that nothing is registered JVM-wide. Bouncy Castle does
 * the CMS and public-key work; the JDK does AES (SunJCE, AES-NI) and SHA-256 (SUN, with its
 * intrinsics), which are many times faster here than Bouncy Castle's pure-Java implementations.
 */
final class Providers {

    static final Provider BC = new BouncyCastleProvider();
    static final Provider SYMMETRIC = symmetric();
    static final Provider DIGEST = jdkOr("SUN");

    private Providers() {
    }

    private static Provider symmetric() {
        Provider jdk = JdkAesProvider.create();
        return jdk != null ? jdk : BC;
    }

    private static Provider jdkOr(String name) {
        Provider provider = Security.getProvider(name);
        return provider != null ? provider : BC;
    }
}
