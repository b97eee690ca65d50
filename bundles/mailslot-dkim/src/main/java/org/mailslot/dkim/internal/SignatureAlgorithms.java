package org.mailslot.dkim.internal;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

import org.mailslot.api.dkim.DkimAlgorithm;

/** The JDK's signature primitives as DKIM uses them: RSA over the data, Ed25519 over its SHA-256 (RFC 8463 section 3). */
final class SignatureAlgorithms {

    private SignatureAlgorithms() {
    }

    static byte[] sign(DkimAlgorithm algorithm, PrivateKey key, byte[] headerData) throws GeneralSecurityException {
        Signature signature = instance(algorithm);
        signature.initSign(key);
        signature.update(input(algorithm, headerData));
        return signature.sign();
    }

    static boolean verify(DkimAlgorithm algorithm, PublicKey key, byte[] headerData, byte[] signatureValue)
            throws GeneralSecurityException {
        Signature signature = instance(algorithm);
        signature.initVerify(key);
        signature.update(input(algorithm, headerData));
        return signature.verify(signatureValue);
    }

    private static Signature instance(DkimAlgorithm algorithm) throws GeneralSecurityException {
        return Signature.getInstance(algorithm == DkimAlgorithm.RSA_SHA256 ? "SHA256withRSA" : "Ed25519");
    }

    private static byte[] input(DkimAlgorithm algorithm, byte[] headerData) {
        return algorithm == DkimAlgorithm.RSA_SHA256 ? headerData : HeaderHash.sha256(headerData);
    }
}
