package org.mailslot.smime.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

/**
 * How the content-encryption key reaches a recipient: RSAES-OAEP with SHA-256 (RFC 8017, RFC 8551
 * section 2.7), or for a legacy recipient RSAES-PKCS1-v1_5; ECDH with an ephemeral key, the X9.63
 * SHA-256 KDF and AES-256 key wrap (RFC 5753) for EC certificates.
 */
final class RecipientInfos {

    private RecipientInfos() {
    }

    static RecipientInfoGenerator forRecipient(X509Certificate certificate, boolean legacy) throws GeneralSecurityException {
        try {
            if (certificate.getPublicKey() instanceof ECPublicKey ec) {
                // Bouncy Castle's, like the agreement that uses the key: the JDK's took a third of a 10 MiB encryption.
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
                generator.initialize(ec.getParams());
                KeyPair ephemeral = generator.generateKeyPair();
                return new JceKeyAgreeRecipientInfoGenerator(legacy ? CMSAlgorithm.ECDH_SHA1KDF : CMSAlgorithm.ECDH_SHA256KDF,
                        ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                        .addRecipient(certificate).setProvider(Providers.BC);
            }
            if (legacy) {
                return new JceKeyTransRecipientInfoGenerator(certificate).setProvider(Providers.BC);
            }
            OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
            var algorithm = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, oaep);
            return new JceKeyTransRecipientInfoGenerator(certificate, algorithm).setProvider(Providers.BC);
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot make a recipient info for " + certificate.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
    }
}
