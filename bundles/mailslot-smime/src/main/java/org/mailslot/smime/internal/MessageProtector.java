package org.mailslot.smime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.mailslot.api.crypto.CryptoException.Reason;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.Crlf;
import org.mailslot.support.mail.MimeEntity;
import org.mailslot.support.mail.Octets;

/**
 * Signs (detached multipart/signed, SHA-256) and encrypts (AuthEnvelopedData with AES-256-GCM, or
 * EnvelopedData with AES-256-CBC when a recipient is configured as legacy) whole messages. The
 * message's own header fields stay outside; the content fields and body are what is protected.
 * Each layer streams into the next (signed entity, cipher, BER, base64) and into one buffer, the
 * result; the body of the message is never copied whole.
 */
final class MessageProtector {

    private final KeySelection keys;
    private final LegacyRecipients legacy;

    MessageProtector(KeySelection keys, LegacyRecipients legacy) {
        this.keys = keys;
        this.legacy = legacy;
    }

    MessageSource protect(MailAddress sender, Collection<MailAddress> recipients, Protection protection, byte[] message)
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
        Content inner = protection.signs() ? SevenBit.entity(entity) : plainEntity(entity);
        if (signer != null) {
            inner = sign(inner, signer, keys.store().clock().instant());
        }
        Octets out = new Octets(capacity(message.length, protection.encrypts()));
        out.writeBytes(entity.messageFields());
        SmimeFormat.ascii(out, "MIME-Version: 1.0\r\n");
        if (protection.encrypts()) {
            encrypt(inner, recipientCertificates, recipients.stream().anyMatch(legacy::needsLegacy), out);
        } else {
            writeUnchecked(inner, out);
        }
        return out.source();
    }

    /** @return room for the protected message, so that the buffer does not grow (copying all) as it is written */
    private static int capacity(int length, boolean encrypts) {
        // The signature part and the recipient infos take a few KB; the ciphertext is as long as the
        // plaintext, plus 4 octets of BER per 1000; base64 is 78 octets a line for every 57.
        long plain = length + 8192L;
        long total = encrypts ? (plain + plain / 250) / 57 * 78 + 8192 : plain;
        return (int) Math.min(total, Integer.MAX_VALUE - 16);
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
    private static Content plainEntity(MimeEntity entity) {
        return out -> {
            writeContentFields(out, entity);
            out.write(SmimeFormat.CRLF);
            Content.writeRange(out, entity.octets(), entity.body().from(), entity.body().to());
        };
    }

    static void writeContentFields(OutputStream out, MimeEntity entity) throws IOException {
        if (!entity.hasContentType()) {
            SmimeFormat.ascii(out, "Content-Type: text/plain; charset=utf-8\r\n");
        }
        for (MimeEntity.Field field : entity.fields()) {
            if (field.describesContent() && !field.named("MIME-Version")) {
                out.write(field.raw());
            }
        }
    }

    private static Content sign(Content content, KeySelection.Identity signer, java.time.Instant now) throws CryptoException {
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
            signature = generator.generate(new Detached(content), false).getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new CryptoException(Reason.NO_KEY, "cannot sign with " + signer.entry().id() + ": " + e.getMessage(), e);
        }
        String boundary = SmimeFormat.newBoundary();
        byte[] head = ("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
                + " micalg=sha-256; boundary=\"" + boundary + "\"\r\n\r\n"
                + "This is a cryptographically signed message in MIME format.\r\n\r\n--" + boundary + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] signaturePart = ("\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
                + "Content-Description: S/MIME Cryptographic Signature\r\n\r\n"
                + new String(SmimeFormat.base64Lines(signature), StandardCharsets.US_ASCII)
                + "--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        return out -> {
            out.write(head);
            content.writeTo(out);
            out.write(signaturePart);
        };
    }

    /** The entity to sign, handed to the digest as it is written. */
    private record Detached(Content content) implements CMSTypedData {

        @Override
        public ASN1ObjectIdentifier getContentType() {
            return CMSObjectIdentifiers.data;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            content.writeTo(out);
        }

        @Override
        public Object getContent() {
            return content;
        }
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

    private static void encrypt(Content content, List<X509Certificate> recipients, boolean useLegacy, OutputStream out)
            throws CryptoException {
        try {
            SmimeFormat.ascii(out, "Content-Type: application/pkcs7-mime; smime-type="
                    + (useLegacy ? SmimeFormat.ENVELOPED : SmimeFormat.AUTH_ENVELOPED) + "; name=\"smime.p7m\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n");
            Base64LineStream base64 = new Base64LineStream(out);
            // BER with indefinite lengths and 1000-octet pieces of ciphertext, as the generators that
            // build the whole structure in memory encode it too.
            OutputStream plaintext;
            if (useLegacy) {
                CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
                for (X509Certificate recipient : recipients) {
                    generator.addRecipientInfoGenerator(RecipientInfos.forRecipient(recipient, true));
                }
                OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                        .setProvider(Providers.SYMMETRIC).build();
                plaintext = generator.open(base64, encryptor);
            } else {
                CMSAuthEnvelopedDataStreamGenerator generator = new CMSAuthEnvelopedDataStreamGenerator();
                for (X509Certificate recipient : recipients) {
                    generator.addRecipientInfoGenerator(RecipientInfos.forRecipient(recipient, false));
                }
                var encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                        .setProvider(Providers.SYMMETRIC).build();
                plaintext = generator.open(base64, encryptor);
            }
            content.writeTo(plaintext);
            plaintext.close();
            base64.finish();
        } catch (Exception e) {
            throw new CryptoException(Reason.NO_KEY, "cannot encrypt: " + e.getMessage(), e);
        }
    }

    /** Writes into an in-memory buffer, which does not fail. */
    private static void writeUnchecked(Content content, ByteArrayOutputStream out) {
        try {
            content.writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
