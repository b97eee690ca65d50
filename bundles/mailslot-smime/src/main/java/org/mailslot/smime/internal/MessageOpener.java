package org.mailslot.smime.internal;

import java.io.ByteArrayOutputStream;
import java.security.PrivateKey;
import java.util.List;
import java.util.Locale;

import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.io.InvalidCipherTextIOException;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoException.Reason;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.Verification;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.support.mail.ContentType;
import org.mailslot.support.mail.Crlf;
import org.mailslot.support.mail.MimeEntity;

/**
 * Opens messages whose MIME root is S/MIME: decrypts (EnvelopedData, AuthEnvelopedData) and
 * verifies (multipart/signed, signed-data), layer by layer, at most {@value #MAX_LAYERS} layers.
 * Only the root is ever opened: protected parts below a multipart/mixed are left alone, and the
 * result is always the one innermost entity, never a mixture with unprotected parts.
 */
final class MessageOpener {

    static final int MAX_LAYERS = 4;

    /**
     * The state of opening: the current entity and what was learnt on the way.
     *
     * @param authenticated false once a layer was decrypted without an integrity check (EnvelopedData)
     */
    private record Layer(byte[] entity, boolean decrypted, boolean authenticated, Verification verification) {
    }

    /** The From address signatures are judged against, or why there is none. */
    record Author(MailAddress address, String whyNone) {
    }

    private final CertificateStore store;
    private final SignatureVerifier verifier;

    MessageOpener(CertificateStore store, SignatureVerifier verifier) {
        this.store = store;
        this.verifier = verifier;
    }

    static boolean isProtected(byte[] message) {
        return kind(MimeEntity.parse(Crlf.canonical(message)).contentType()) != Kind.NONE;
    }

    private enum Kind { NONE, SIGNED, ENCRYPTED, OPAQUE_SIGNED, UNKNOWN_PKCS7 }

    private static Kind kind(ContentType type) {
        if (type.is("multipart/signed")) {
            String protocol = type.parameter("protocol");
            return protocol != null && SmimeFormat.isSignatureType(ContentType.parse(protocol)) ? Kind.SIGNED : Kind.NONE;
        }
        if (!SmimeFormat.isMimeType(type)) {
            return Kind.NONE;
        }
        String smimeType = type.parameter("smime-type");
        if (smimeType == null) {
            return Kind.UNKNOWN_PKCS7;
        }
        return switch (smimeType.toLowerCase(Locale.ROOT)) {
            case "enveloped-data", "authenveloped-data" -> Kind.ENCRYPTED;
            case "signed-data" -> Kind.OPAQUE_SIGNED;
            case "certs-only" -> Kind.NONE;
            default -> Kind.UNKNOWN_PKCS7;
        };
    }

    OpenedMessageBytes open(byte[] message) throws CryptoException {
        byte[] canonical = Crlf.canonical(message);
        MimeEntity root = MimeEntity.parse(canonical);
        if (kind(root.contentType()) == Kind.NONE) {
            return new OpenedMessageBytes(message, false, Verification.notSigned(CryptoTechnology.SMIME), false);
        }
        List<String> fromFields = root.headers("From");
        Author from = new Author(FromAddress.of(fromFields), FromAddress.whyNone(fromFields));
        Layer layer = new Layer(null, false, true, null);
        MimeEntity current = root;
        for (int depth = 0; depth < MAX_LAYERS; depth++) {
            Kind kind = kind(current.contentType());
            if (kind == Kind.NONE) {
                break;
            }
            layer = openLayer(current, kind, from, layer);
            current = MimeEntity.parse(layer.entity());
        }
        if (kind(current.contentType()) != Kind.NONE) {
            throw new CryptoException(Reason.LIMIT_EXCEEDED, "more than " + MAX_LAYERS + " S/MIME layers");
        }
        return new OpenedMessageBytes(withMessageFields(root, layer.entity()), layer.decrypted(),
                layer.verification() == null ? Verification.notSigned(CryptoTechnology.SMIME) : layer.verification(),
                layer.decrypted() && layer.authenticated());
    }

    private Layer openLayer(MimeEntity entity, Kind kind, Author from, Layer previous) throws CryptoException {
        byte[] octets = entity.octets();
        switch (kind) {
            case SIGNED: {
                List<MimeEntity.Range> parts;
                try {
                    parts = entity.multipartParts(entity.contentType().parameter("boundary"));
                } catch (IllegalArgumentException e) {
                    throw new CryptoException(Reason.MALFORMED, "malformed multipart/signed: " + e.getMessage(), e);
                }
                if (parts.size() != 2) {
                    throw new CryptoException(Reason.MALFORMED, "multipart/signed with " + parts.size() + " parts instead of 2");
                }
                MimeEntity.Range content = parts.get(0);
                byte[] signedContent = java.util.Arrays.copyOfRange(octets, content.from(), content.to());
                MimeEntity signaturePart = MimeEntity.parse(octets, parts.get(1).from(), parts.get(1).to());
                if (!SmimeFormat.isSignatureType(signaturePart.contentType())) {
                    throw new CryptoException(Reason.MALFORMED, "the second part of multipart/signed is not application/pkcs7-signature");
                }
                Verification verification;
                try {
                    CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(signedContent), decoded(signaturePart));
                    verification = verifier.verify(signed, from);
                } catch (CryptoException e) {
                    throw e;
                } catch (Exception e) {
                    verification = invalid("unreadable signature: " + e.getMessage());
                }
                return new Layer(signedContent, previous.decrypted(), previous.authenticated(),
                        worse(previous.verification(), verification));
            }
            case OPAQUE_SIGNED: {
                try {
                    CMSSignedData signed = new CMSSignedData(decoded(entity));
                    if (signed.getSignedContent() == null) {
                        throw new CryptoException(Reason.MALFORMED, "signed-data without encapsulated content");
                    }
                    byte[] content = Crlf.canonical((byte[]) signed.getSignedContent().getContent());
                    return new Layer(content, previous.decrypted(), previous.authenticated(),
                            worse(previous.verification(), verifier.verify(signed, from)));
                } catch (CryptoException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CryptoException(Reason.MALFORMED, "unreadable signed-data: " + e.getMessage(), e);
                }
            }
            case ENCRYPTED:
            case UNKNOWN_PKCS7: {
                byte[] der = decoded(entity);
                return decryptOrVerify(der, from, previous);
            }
            default:
                throw new IllegalStateException("not protected");
        }
    }

    private Layer decryptOrVerify(byte[] der, Author from, Layer previous) throws CryptoException {
        ContentInfo info;
        try {
            info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (Exception e) {
            throw new CryptoException(Reason.MALFORMED, "the S/MIME part is not a CMS ContentInfo", e);
        }
        var type = info.getContentType();
        try {
            if (type.equals(CMSObjectIdentifiers.authEnvelopedData)) {
                CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(info);
                return new Layer(Crlf.canonical(decrypt(data.getRecipientInfos(), true)), true, previous.authenticated(),
                        previous.verification());
            }
            if (type.equals(CMSObjectIdentifiers.envelopedData)) {
                CMSEnvelopedData data = new CMSEnvelopedData(info);
                return new Layer(Crlf.canonical(decrypt(data.getRecipientInfos(), false)), true, false,
                        previous.verification());
            }
            if (type.equals(CMSObjectIdentifiers.signedData)) {
                CMSSignedData signed = new CMSSignedData(info);
                if (signed.getSignedContent() == null) {
                    throw new CryptoException(Reason.MALFORMED, "signed-data without encapsulated content");
                }
                byte[] content = Crlf.canonical((byte[]) signed.getSignedContent().getContent());
                return new Layer(content, previous.decrypted(), previous.authenticated(),
                        worse(previous.verification(), verifier.verify(signed, from)));
            }
        } catch (CryptoException e) {
            throw e;
        } catch (Exception e) {
            throw new CryptoException(Reason.MALFORMED, "unreadable CMS structure: " + e.getMessage(), e);
        }
        throw new CryptoException(Reason.MALFORMED, "unsupported CMS content type " + type + " (compressed-data is not supported)");
    }

    private byte[] decrypt(RecipientInformationStore recipients, boolean authenticated) throws CryptoException {
        for (RecipientInformation recipient : recipients.getRecipients()) {
            for (StoredCertificate entry : store.all()) {
                if (!entry.secret() || !matches(recipient, entry)) {
                    continue;
                }
                PrivateKey key = store.privateKey(entry.id());
                try {
                    return recipient.getContent(recipientFor(recipient, key, authenticated));
                } catch (Exception e) {
                    if (isIntegrityFailure(e)) {
                        throw new CryptoException(Reason.INTEGRITY_FAILURE,
                                "the encrypted content failed its integrity check; nothing of it is released", e);
                    }
                    throw new CryptoException(Reason.MALFORMED, "cannot decrypt for " + entry.id() + ": " + e.getMessage(), e);
                }
            }
        }
        throw new CryptoException(Reason.NOT_FOR_US, "the message is not encrypted to any S/MIME identity held here");
    }

    private static boolean matches(RecipientInformation recipient, StoredCertificate entry) {
        try {
            return recipient.getRID().match(new JcaX509CertificateHolder(entry.certificate()));
        } catch (Exception e) {
            return false;
        }
    }

    private static Recipient recipientFor(RecipientInformation recipient, PrivateKey key, boolean authenticated) throws CryptoException {
        if (recipient instanceof KeyTransRecipientInformation) {
            return authenticated
                    ? new JceKeyTransAuthEnvelopedRecipient(key).setProvider(Providers.BC).setContentProvider(Providers.SYMMETRIC)
                    : new JceKeyTransEnvelopedRecipient(key).setProvider(Providers.BC).setContentProvider(Providers.SYMMETRIC);
        }
        if (recipient instanceof KeyAgreeRecipientInformation) {
            return authenticated
                    ? new JceKeyAgreeAuthEnvelopedRecipient(key).setProvider(Providers.BC).setContentProvider(Providers.SYMMETRIC)
                    : new JceKeyAgreeEnvelopedRecipient(key).setProvider(Providers.BC).setContentProvider(Providers.SYMMETRIC);
        }
        throw new CryptoException(Reason.MALFORMED, "unsupported recipient info " + recipient.getClass().getSimpleName());
    }

    /**
     * By exception type, never by message text: a GCM tag that does not match (the JDK's
     * AEADBadTagException, Bouncy Castle's InvalidCipherTextException) or CBC padding that does not
     * (BadPaddingException), anywhere in the cause chain.
     */
    static boolean isIntegrityFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof AEADBadTagException || cause instanceof BadPaddingException
                    || cause instanceof InvalidCipherTextException || cause instanceof InvalidCipherTextIOException) {
                return true;
            }
        }
        return false;
    }

    private static byte[] decoded(MimeEntity entity) throws CryptoException {
        MimeEntity.Range body = entity.body();
        String encoding = entity.transferEncoding();
        try {
            if (encoding.equals("base64")) {
                return SmimeFormat.decodeBase64(entity.octets(), body.from(), body.to());
            }
            if (encoding.equals("binary") || encoding.equals("8bit") || encoding.equals("7bit")) {
                return entity.bodyCopy();
            }
        } catch (IllegalArgumentException e) {
            throw new CryptoException(Reason.MALFORMED, "the S/MIME part is not valid base64", e);
        }
        throw new CryptoException(Reason.MALFORMED, "the S/MIME part has transfer encoding " + encoding + ", not base64");
    }

    private static Verification invalid(String detail) {
        return new Verification(VerificationStatus.INVALID, CryptoTechnology.SMIME, "", List.of(), java.util.Optional.empty(), detail);
    }

    /** With a signature inside a signature, the message is only as good as the worse of them. */
    private static Verification worse(Verification earlier, Verification later) {
        if (earlier == null || earlier.status() == VerificationStatus.VALID) {
            return later;
        }
        return earlier;
    }

    /** @return the root's message fields (From, To, Subject, ...) followed by the opened entity */
    private static byte[] withMessageFields(MimeEntity root, byte[] entity) {
        byte[] fields = root.messageFields();
        boolean hasVersion = MimeEntity.parse(entity).header("MIME-Version") != null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(fields.length + entity.length + 24);
        out.writeBytes(fields);
        if (!hasVersion) {
            SmimeFormat.ascii(out, "MIME-Version: 1.0\r\n");
        }
        out.writeBytes(entity);
        return out.toByteArray();
    }

    /** The opened message before it becomes an API {@code OpenedMessage}. */
    record OpenedMessageBytes(byte[] content, boolean decrypted, Verification verification, boolean integrityChecked) {
    }
}
