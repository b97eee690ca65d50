package org.mailslot.openpgp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.mailslot.api.crypto.CryptoException.Reason;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.Verification;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.AddressList;
import org.mailslot.support.mail.ContentType;
import org.mailslot.support.mail.Crlf;
import org.mailslot.support.mail.MimeEntity;
import org.mailslot.support.mail.Octets;

/**
 * PGP/MIME (RFC 3156) over the key store. Protecting keeps the message's outer headers and wraps
 * its content headers and body: {@code multipart/signed} (micalg pgp-sha256) over the canonical
 * CRLF entity, or {@code multipart/encrypted} holding an armored message that, when signing too,
 * is one-pass signed inside the encryption (RFC 3156 §6.2). Opening looks at the MIME root only and
 * returns either the decrypted entity or the signed entity under the outer headers, never a
 * mixture with unprotected parts.
 */
final class PgpMessageCrypto implements MessageCrypto {

    private static final byte[] CRLF = {'\r', '\n'};

    private final PgpKeyStore store;
    private final Limits limits;

    PgpMessageCrypto(PgpKeyStore store, Limits limits) {
        this.store = store;
        this.limits = limits;
    }

    @Override
    public CryptoTechnology technology() {
        return CryptoTechnology.PGP;
    }

    @Override
    public Set<MailAddress> missingEncryptionKeys(Collection<MailAddress> recipients) {
        Date now = store.now();
        Set<MailAddress> missing = new LinkedHashSet<>();
        for (MailAddress recipient : recipients) {
            if (encryptionKey(recipient, now).isEmpty()) {
                missing.add(recipient);
            }
        }
        return missing;
    }

    @Override
    public boolean canSign(MailAddress sender) {
        return sender != null && signer(sender, store.now()).isPresent();
    }

    private Optional<PGPPublicKey> encryptionKey(MailAddress address, Date now) {
        for (StoredKey key : store.forAddress(address)) {
            Optional<PGPPublicKey> found = key.encryptionKey(now);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<StoredKey> certificateFor(MailAddress address, Date now) {
        for (StoredKey key : store.forAddress(address)) {
            if (key.encryptionKey(now).isPresent()) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    private Optional<PgpWriter.Signer> signer(MailAddress sender, Date now) {
        for (StoredKey key : store.forAddress(sender)) {
            for (PGPPublicKey component : key.signingKeys(now)) {
                try {
                    return Optional.of(new PgpWriter.Signer(component, store.privateKey(key, component)));
                } catch (CryptoException e) {
                    // try the next key; a locked one cannot sign
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public MessageSource protect(MailAddress sender, Collection<MailAddress> recipients, Protection protection,
            MessageSource message) throws CryptoException, IOException {
        if (protection == null || message == null) {
            throw new IllegalArgumentException("protection and message are required");
        }
        if (sender == null && protection.signs()) {
            throw new IllegalArgumentException("a sender is required to sign");
        }
        Date now = store.now();
        MimeEntity entity = entity(Crlf.canonical(readAll(message)));
        byte[] inner = innerEntity(entity);
        PgpWriter.Signer signer = null;
        if (protection.signs()) {
            signer = signer(sender, now).orElseThrow(() -> new CryptoException(Reason.NO_KEY,
                    "no usable OpenPGP signing key for " + sender));
        }
        try {
            if (!protection.encrypts()) {
                return signed(entity, inner, signer, now).source();
            }
            return encrypted(entity, inner, sender, recipients, signer, now).source();
        } catch (PGPException e) {
            throw new CryptoException(Reason.MALFORMED, "OpenPGP protection failed: " + e.getMessage(), e);
        }
    }

    private Octets signed(MimeEntity entity, byte[] inner, PgpWriter.Signer signer, Date now)
            throws PGPException, IOException {
        byte[] signature = PgpWriter.detachedSignature(inner, signer, now);
        String boundary = boundary();
        Octets out = new Octets(inner.length + signature.length + 1024);
        out.writeBytes(entity.messageFields());
        ascii(out, "MIME-Version: 1.0\r\n");
        ascii(out, "Content-Type: multipart/signed; micalg=pgp-sha256;\r\n protocol=\"application/pgp-signature\";"
                + " boundary=\"" + boundary + "\"\r\n\r\n");
        ascii(out, "This is an OpenPGP/MIME signed message (RFC 3156).\r\n");
        ascii(out, "--" + boundary + "\r\n");
        out.writeBytes(inner);
        ascii(out, "\r\n--" + boundary + "\r\n");
        ascii(out, "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n");
        ascii(out, "Content-Description: OpenPGP digital signature\r\n");
        ascii(out, "Content-Disposition: attachment; filename=\"signature.asc\"\r\n\r\n");
        out.writeBytes(signature);
        ascii(out, "\r\n--" + boundary + "--\r\n");
        return out;
    }

    private Octets encrypted(MimeEntity entity, byte[] inner, MailAddress sender, Collection<MailAddress> recipients,
            PgpWriter.Signer signer, Date now) throws CryptoException, PGPException, IOException {
        if (recipients == null || recipients.isEmpty()) {
            throw new CryptoException(Reason.NO_KEY, "no recipients to encrypt to");
        }
        List<PGPPublicKey> keys = new ArrayList<>();
        Set<MailAddress> missing = new LinkedHashSet<>();
        boolean aead = true;
        for (MailAddress recipient : new LinkedHashSet<>(recipients)) {
            Optional<StoredKey> certificate = certificateFor(recipient, now);
            if (certificate.isEmpty()) {
                missing.add(recipient);
                continue;
            }
            addOnce(keys, certificate.get().encryptionKey(now).orElseThrow());
            aead &= certificate.get().supportsSeipdV2(now);
        }
        if (!missing.isEmpty()) {
            throw new CryptoException(Reason.NO_KEY, "no usable (present, unexpired, unrevoked) OpenPGP encryption key for "
                    + missing);
        }
        Optional<StoredKey> own = sender == null ? Optional.empty() : certificateFor(sender, now);
        if (own.isPresent()) {
            addOnce(keys, own.get().encryptionKey(now).orElseThrow());
            aead &= own.get().supportsSeipdV2(now);
        }
        Octets ciphertext = PgpWriter.encrypt(inner, keys, aead, signer, now);
        String boundary = boundary();
        Octets out = new Octets(ciphertext.length() * 4 / 3 + ciphertext.length() / 24 + 2048);
        out.writeBytes(entity.messageFields());
        ascii(out, "MIME-Version: 1.0\r\n");
        ascii(out, "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n boundary=\""
                + boundary + "\"\r\n\r\n");
        ascii(out, "This is an OpenPGP/MIME encrypted message (RFC 3156).\r\n");
        ascii(out, "--" + boundary + "\r\n");
        ascii(out, "Content-Type: application/pgp-encrypted\r\nContent-Description: PGP/MIME version identification\r\n\r\n");
        ascii(out, "Version: 1\r\n\r\n");
        ascii(out, "--" + boundary + "\r\n");
        ascii(out, "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n");
        ascii(out, "Content-Description: OpenPGP encrypted message\r\n");
        ascii(out, "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n");
        Armor.encodeTo(out, Armor.MESSAGE, ciphertext.array(), 0, ciphertext.length());
        ascii(out, "\r\n--" + boundary + "--\r\n");
        return out;
    }

    private static void addOnce(List<PGPPublicKey> keys, PGPPublicKey key) {
        for (PGPPublicKey present : keys) {
            if (present.getKeyIdentifier().equals(key.getKeyIdentifier())) {
                return;
            }
        }
        keys.add(key);
    }

    @Override
    public boolean isProtected(MessageSource message) throws IOException {
        try {
            return kind(entity(Crlf.canonical(readAll(message))).contentType()) != Kind.NONE;
        } catch (CryptoException e) {
            return false;
        }
    }

    private enum Kind { ENCRYPTED, SIGNED, NONE }

    private static Kind kind(ContentType type) {
        if (type.is("multipart", "encrypted") && type.parameterIs("protocol", "application/pgp-encrypted")) {
            return Kind.ENCRYPTED;
        }
        if (type.is("multipart", "signed") && type.parameterIs("protocol", "application/pgp-signature")) {
            return Kind.SIGNED;
        }
        return Kind.NONE;
    }

    @Override
    public OpenedMessage open(MessageSource message) throws CryptoException, IOException {
        byte[] bytes = Crlf.canonical(readAll(message));
        MimeEntity entity = entity(bytes);
        Author from = Author.of(entity);
        switch (kind(entity.contentType())) {
            case ENCRYPTED:
                return openEncrypted(entity, from);
            case SIGNED:
                Signed signed = openSigned(entity, from);
                return new OpenedMessage(assemble(entity, signed.content).source(), false, signed.verification);
            default:
                return new OpenedMessage(MessageSource.of(bytes), false, Verification.notSigned(CryptoTechnology.PGP));
        }
    }

    private record Signed(byte[] content, Verification verification) {
    }

    private Signed openSigned(MimeEntity entity, Author from) throws CryptoException {
        List<byte[]> parts = parts(entity);
        if (parts.size() != 2) {
            throw new CryptoException(Reason.MALFORMED, "multipart/signed needs exactly two parts, not " + parts.size());
        }
        MimeEntity signaturePart = entity(parts.get(1));
        if (!signaturePart.contentType().is("application", "pgp-signature")) {
            throw new CryptoException(Reason.MALFORMED, "the second part of multipart/signed is not application/pgp-signature");
        }
        List<PGPSignature> signatures;
        try {
            signatures = PgpReader.signatures(decodedBody(signaturePart));
        } catch (CryptoException e) {
            return new Signed(parts.get(0), SignatureCheck.invalid(e.getMessage()));
        }
        return new Signed(parts.get(0), SignatureCheck.verify(parts.get(0), signatures, from, store));
    }

    private OpenedMessage openEncrypted(MimeEntity entity, Author from) throws CryptoException {
        List<byte[]> parts = parts(entity);
        if (parts.size() != 2) {
            throw new CryptoException(Reason.MALFORMED, "multipart/encrypted needs exactly two parts, not " + parts.size());
        }
        MimeEntity control = entity(parts.get(0));
        if (!control.contentType().is("application", "pgp-encrypted")) {
            throw new CryptoException(Reason.MALFORMED, "the first part of multipart/encrypted is not application/pgp-encrypted");
        }
        PgpReader.Decrypted decrypted = PgpReader.decrypt(decodedBody(entity(parts.get(1))), store, limits);
        byte[] inner = Crlf.canonical(decrypted.plaintext());
        Verification verification = decrypted.signatures().isEmpty() ? Verification.notSigned(CryptoTechnology.PGP)
                : SignatureCheck.verify(decrypted.plaintext(), decrypted.signatures(), from, store);
        if (decrypted.signatures().isEmpty()) {
            MimeEntity innerEntity = entity(inner);
            if (kind(innerEntity.contentType()) == Kind.SIGNED) {
                // Signed, then encrypted (RFC 3156 §6.1): the signature covers the whole decrypted entity.
                Signed signed = openSigned(innerEntity, from);
                inner = signed.content;
                verification = signed.verification;
            }
        }
        // Only integrity-protected data (MDC or AEAD) is ever decrypted and released.
        return new OpenedMessage(assemble(entity, inner).source(), true, verification, true);
    }

    /** @return the outer headers over the opened entity, which carries its own content headers */
    private static Octets assemble(MimeEntity outer, byte[] inner) throws CryptoException {
        MimeEntity innerEntity = entity(inner);
        Octets out = new Octets(inner.length + 2048);
        out.writeBytes(outer.messageFields());
        if (innerEntity.header("MIME-Version") == null) {
            ascii(out, "MIME-Version: 1.0\r\n");
        }
        out.writeBytes(inner);
        return out;
    }

    private static byte[] decodedBody(MimeEntity part) throws CryptoException {
        String encoding = part.header("Content-Transfer-Encoding");
        if (encoding != null && encoding.strip().equalsIgnoreCase("base64")) {
            try {
                return Base64.getMimeDecoder().decode(part.bodyCopy());
            } catch (IllegalArgumentException e) {
                throw new CryptoException(Reason.MALFORMED, "bad base64 in a PGP/MIME part", e);
            }
        }
        return part.bodyCopy();
    }

    /**
     * The author signatures are judged against: the one mailbox of the one From field (RFC 5322
     * allows one), or none, with the reason.
     */
    record Author(MailAddress address, String whyNone) {

        static Author of(MimeEntity entity) {
            List<String> from = entity.headers("From");
            return new Author(AddressList.singleMailbox(from).orElse(null),
                    AddressList.whyNotSingle(from).orElse("no single From address"));
        }
    }

    /** @throws CryptoException if a line of the header section is not a header field */
    static MimeEntity entity(byte[] octets) throws CryptoException {
        MimeEntity entity = MimeEntity.parse(octets);
        if (entity.strayLine()) {
            throw new CryptoException(Reason.MALFORMED, "a header line without a field name");
        }
        return entity;
    }

    /** @return the parts of a multipart entity, exactly as they were signed */
    static List<byte[]> parts(MimeEntity entity) throws CryptoException {
        try {
            List<byte[]> parts = new ArrayList<>();
            for (MimeEntity.Range part : entity.multipartParts()) {
                parts.add(java.util.Arrays.copyOfRange(entity.octets(), part.from(), part.to()));
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw new CryptoException(Reason.MALFORMED, e.getMessage(), e);
        }
    }

    /** @return the content fields (not MIME-Version) and the body: the entity that protection wraps */
    private static byte[] innerEntity(MimeEntity entity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entity.bodyLength() + 512);
        for (MimeEntity.Field field : entity.fields()) {
            if (field.describesContent() && !field.named("MIME-Version")) {
                out.writeBytes(field.raw());
            }
        }
        if (!entity.hasContentType()) {
            ascii(out, "Content-Type: text/plain; charset=us-ascii\r\n");
        }
        ascii(out, "\r\n");
        MimeEntity.Range body = entity.body();
        out.write(entity.octets(), body.from(), body.length());
        return out.toByteArray();
    }

    private static String boundary() {
        byte[] random = new byte[12];
        Providers.RANDOM.nextBytes(random);
        return "=-mailslot-" + HexFormat.of().formatHex(random).toLowerCase(Locale.ROOT);
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] readAll(MessageSource message) throws IOException {
        try (InputStream in = message.open()) {
            return in.readAllBytes();
        }
    }
}
