package org.mailslot.smime.internal;

import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoException.Reason;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.support.mail.Crlf;

/**
 * Signs (detached multipart/signed, SHA-256) and encrypts (AuthEnvelopedData with AES-256-GCM, or
 * EnvelopedData with AES-256-CBC when a recipient is configured as legacy) whole messages. The
 * message's own header fields stay outside; the content fields and body are what is protected.
 */
final class MessageProtector {

    private final KeySelection keys;
    private final LegacyRecipients legacy;

    MessageProtector(KeySelection keys, LegacyRecipients legacy) {
        this.keys = keys;
        this.legacy = legacy;
    }

    byte[] protect(MailAddress sender, Collection<MailAddress> recipients, Protection protection, byte[] message)
            throws CryptoException {
        if (protection.signs() && sender == null) {
            throw new IllegalArgumentException("a sender is required to sign");
        }
        MimeEntity entity = MimeEntity.parse(Crlf.canonical(message));
        KeySelection.Identity signer = null;
        if (protection.signs()) {
            signer = keys.signingIdentity(sender).orElseThrow(() -> new CryptoException(Reason.NO_KEY,
                    "no usable S/MIME signing certificate with its private key for " + sender));
        }
        List<X509Certificate> recipientCertificates = List.of();
        if (protection.encrypts()) {
            recipientCertificates = recipientCertificates(sender, recipients);
        }
        byte[] inner = protection.signs() ? SevenBit.entity(entity) : plainEntity(entity);
        if (signer != null) {
            inner = sign(inner, signer, keys.store().clock().instant());
        }
        if (protection.encrypts()) {
            boolean useLegacy = recipients.stream().anyMatch(legacy::needsLegacy);
            inner = encrypt(inner, recipientCertificates, useLegacy);
        }
        byte[] outer = entity.messageFields();
        ByteArrayOutputStream out = new ByteArrayOutputStream(outer.length + inner.length + 32);
        out.writeBytes(outer);
        SmimeFormat.ascii(out, "MIME-Version: 1.0\r\n");
        out.writeBytes(inner);
        return out.toByteArray();
    }

    private List<X509Certificate> recipientCertificates(MailAddress sender, Collection<MailAddress> recipients)
            throws CryptoException {
        if (recipients.isEmpty()) {
            throw new CryptoException(Reason.NO_KEY, "no recipients to encrypt to");
        }
        Set<X509Certificate> result = new LinkedHashSet<>();
        List<MailAddress> missing = new ArrayList<>();
        for (MailAddress recipient : recipients) {
            keys.encryptionCertificate(recipient).ifPresentOrElse(entry -> result.add(entry.certificate()),
                    () -> missing.add(recipient));
        }
        if (!missing.isEmpty()) {
            throw new CryptoException(Reason.NO_KEY, "no usable S/MIME encryption certificate for " + missing);
        }
        // So that the sender can read its own sent copy; without a sender there is none.
        if (sender != null) {
            keys.encryptionCertificate(sender).ifPresent(entry -> result.add(entry.certificate()));
        }
        return new ArrayList<>(result);
    }

    /** @return the content fields and body as one entity, with a Content-Type even when the message had none */
    private static byte[] plainEntity(MimeEntity entity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entity.body().length() + 256);
        writeContentFields(out, entity);
        out.write('\r');
        out.write('\n');
        out.write(entity.octets(), entity.body().from(), entity.body().length());
        return out.toByteArray();
    }

    static void writeContentFields(ByteArrayOutputStream out, MimeEntity entity) {
        if (!entity.hasContentType()) {
            SmimeFormat.ascii(out, "Content-Type: text/plain; charset=utf-8\r\n");
        }
        for (MimeEntity.Field field : entity.fields()) {
            if (field.describesContent() && !field.named("MIME-Version")) {
                out.writeBytes(field.raw());
            }
        }
    }

    private static byte[] sign(byte[] content, KeySelection.Identity signer, java.time.Instant now) throws CryptoException {
        byte[] signature;
        try {
            X509Certificate certificate = signer.certificate();
            String algorithm = certificate.getPublicKey().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            var contentSigner = new JcaContentSignerBuilder(algorithm).setProvider(Providers.BC).build(signer.key());
            var digests = new JcaDigestCalculatorProviderBuilder().setProvider(Providers.DIGEST).build();
            var signedAttributes = new DefaultSignedAttributeTableGenerator(new AttributeTable(signedAttributes(now)));
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests)
                    .setSignedAttributeGenerator(signedAttributes).build(contentSigner, certificate));
            generator.addCertificates(new JcaCertStore(List.of(certificate)));
            signature = generator.generate(new CMSProcessableByteArray(content), false).getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new CryptoException(Reason.NO_KEY, "cannot sign with " + signer.entry().id() + ": " + e.getMessage(), e);
        }
        String boundary = SmimeFormat.newBoundary();
        byte[] encoded = SmimeFormat.base64Lines(signature);
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + encoded.length + 512);
        SmimeFormat.ascii(out, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
                + " micalg=sha-256; boundary=\"" + boundary + "\"\r\n\r\n"
                + "This is a cryptographically signed message in MIME format.\r\n\r\n--" + boundary + "\r\n");
        out.writeBytes(content);
        SmimeFormat.ascii(out, "\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
                + "Content-Description: S/MIME Cryptographic Signature\r\n\r\n");
        out.writeBytes(encoded);
        SmimeFormat.ascii(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static ASN1EncodableVector signedAttributes(java.time.Instant now) {
        SMIMECapabilityVector capabilities = new SMIMECapabilityVector();
        capabilities.addCapability(CMSAlgorithm.AES256_GCM);
        capabilities.addCapability(CMSAlgorithm.AES128_GCM);
        capabilities.addCapability(SMIMECapability.aES256_CBC);
        capabilities.addCapability(SMIMECapability.aES128_CBC);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new SMIMECapabilitiesAttribute(capabilities));
        attributes.add(new org.bouncycastle.asn1.cms.Attribute(org.bouncycastle.asn1.cms.CMSAttributes.signingTime,
                new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.cms.Time(java.util.Date.from(now)))));
        return attributes;
    }

    private static byte[] encrypt(byte[] content, List<X509Certificate> recipients, boolean useLegacy) throws CryptoException {
        byte[] der;
        try {
            if (useLegacy) {
                CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
                for (X509Certificate recipient : recipients) {
                    generator.addRecipientInfoGenerator(RecipientInfos.forRecipient(recipient, true));
                }
                der = generator.generate(new CMSProcessableByteArray(content),
                        new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(Providers.SYMMETRIC).build())
                        .getEncoded();
            } else {
                CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
                for (X509Certificate recipient : recipients) {
                    generator.addRecipientInfoGenerator(RecipientInfos.forRecipient(recipient, false));
                }
                var encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                        .setProvider(Providers.SYMMETRIC).build();
                der = generator.generate(new CMSProcessableByteArray(content), encryptor).getEncoded();
            }
        } catch (Exception e) {
            throw new CryptoException(Reason.NO_KEY, "cannot encrypt: " + e.getMessage(), e);
        }
        byte[] encoded = SmimeFormat.base64Lines(der);
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 256);
        SmimeFormat.ascii(out, "Content-Type: application/pkcs7-mime; smime-type="
                + (useLegacy ? SmimeFormat.ENVELOPED : SmimeFormat.AUTH_ENVELOPED) + "; name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n");
        out.writeBytes(encoded);
        return out.toByteArray();
    }
}
