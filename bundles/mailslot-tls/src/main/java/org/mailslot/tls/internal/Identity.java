package org.mailslot.tls.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A server identity that passed every check: a private key and the chain that goes with it. */
record Identity(PrivateKey key, List<X509Certificate> chain, IdentityInfo info) {

    Identity {
        chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }
}
