package org.mailslot.crypto.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.mail.ContentType;
import org.mailslot.support.mail.MimeEntity;

/**
 * Whether a message that says it is protected really is, judged from its structure: outbound, a
 * message its author encrypted passes without being encrypted again, and one its author signed is
 * not signed again, so a Content-Type alone must not decide. Neither ciphertext nor signature is
 * checked (the keys are the recipients'); what is checked is that the body holds what the label
 * promises:
 *
 * <ul>
 * <li>PGP/MIME encrypted (RFC 3156 section 4): two parts, {@code application/pgp-encrypted} with
 *     {@code Version: 1}, then an OpenPGP message of one or more PKESK/SKESK packets followed by
 *     exactly one SEIPD (v1 or v2) or OCB encrypted data packet and nothing else;</li>
 * <li>S/MIME: a CMS ContentInfo of EnvelopedData or AuthEnvelopedData with recipients and encrypted
 *     content (and a MAC for AuthEnvelopedData);</li>
 * <li>signed: a PGP/MIME signature part of signature packets, or a CMS SignedData with signers.</li>
 * </ul>
 *
 * Anything else, or anything that does not parse, is not protected.
 */
final class ProtectedStructure {

    private static final String ENVELOPED_DATA = "1.2.840.113549.1.7.3";
    private static final String AUTH_ENVELOPED_DATA = "1.2.840.113549.1.9.16.1.23";
    private static final String SIGNED_DATA = "1.2.840.113549.1.7.2";
    private static final Set<String> SIGNATURE_TYPES = Set.of("application/pkcs7-signature",
            "application/x-pkcs7-signature");
    private static final Set<String> PKCS7_MIME = Set.of("application/pkcs7-mime", "application/x-pkcs7-mime");

    private ProtectedStructure() {
    }

    /**
     * @param headers the message's header section
     * @param message the message
     * @return the protection of the MIME root if its label says so and its body bears it out
     * @throws IOException if the message cannot be read
     */
    static Optional<RootProtection> of(HeaderSection headers, MessageSource message) throws IOException {
        Optional<RootProtection> claimed = RootProtection.of(headers);
        if (claimed.isEmpty()) {
            return claimed;
        }
        byte[] body;
        try (InputStream in = message.open()) {
            in.skipNBytes(headers.length());
            body = in.readAllBytes();
        }
        ContentType type = ContentType.parse(headers.get("Content-Type").orElse(null));
        try {
            boolean holds = claimed.get().technology() == CryptoTechnology.PGP
                    ? claimed.get().encrypted() ? pgpEncrypted(type, body) : pgpSigned(type, body)
                    : claimed.get().encrypted() ? cmsEncrypted(headers, body) : cmsSigned(headers, type, body);
            return holds ? claimed : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean pgpEncrypted(ContentType type, byte[] body) throws IOException {
        List<Part> parts = parts(type, body);
        if (parts.size() != 2 || !parts.get(0).type().mediaType().equals("application/pgp-encrypted")
                || !parts.get(1).type().mediaType().equals("application/octet-stream")) {
            return false;
        }
        String control = new String(parts.get(0).decoded(), StandardCharsets.US_ASCII);
        if (control.lines().map(String::strip).noneMatch(line -> line.equals("Version: 1"))) {
            return false;
        }
        List<PgpPackets.Packet> packets = PgpPackets.read(openPgpData(parts.get(1).decoded(), "MESSAGE"));
        int keys = 0;
        int index = 0;
        while (index < packets.size() && isSessionKeyOrMarker(packets.get(index))) {
            keys += packets.get(index).tag() == PgpPackets.MARKER ? 0 : 1;
            index++;
        }
        if (keys == 0 || index != packets.size() - 1) {
            return false;
        }
        PgpPackets.Packet data = packets.get(index);
        byte[] content = data.body();
        return switch (data.tag()) {
            // version, then at least a block-sized prefix, two repeated octets and the MDC packet
            case PgpPackets.SEIPD -> content.length > 0 && (content[0] == 1 && content.length >= 1 + 18 + 22
                    // version, cipher, AEAD mode, chunk size, 32-octet salt, final tag
                    || content[0] == 2 && content.length >= 4 + 32 + 16);
            case PgpPackets.OCB_ENCRYPTED -> content.length >= 4 + 15 + 16 && content[0] == 1;
            default -> false;
        };
    }

    private static boolean isSessionKeyOrMarker(PgpPackets.Packet packet) {
        byte[] body = packet.body();
        return switch (packet.tag()) {
            case PgpPackets.PKESK -> body.length > 10 && (body[0] == 3 || body[0] == 6);
            case PgpPackets.SKESK -> body.length > 3 && (body[0] == 4 || body[0] == 5 || body[0] == 6);
            case PgpPackets.MARKER -> true;
            default -> false;
        };
    }

    private static boolean pgpSigned(ContentType type, byte[] body) throws IOException {
        List<Part> parts = parts(type, body);
        if (parts.size() != 2 || !parts.get(1).type().mediaType().equals("application/pgp-signature")) {
            return false;
        }
        List<PgpPackets.Packet> packets = PgpPackets.read(openPgpData(parts.get(1).decoded(), "SIGNATURE"));
        return !packets.isEmpty() && packets.stream().allMatch(packet -> packet.tag() == PgpPackets.SIGNATURE
                && packet.body().length > 10 && packet.body()[0] >= 3 && packet.body()[0] <= 6);
    }

    private static byte[] openPgpData(byte[] part, String kind) {
        String start = new String(part, 0, Math.min(part.length, 256), StandardCharsets.US_ASCII).stripLeading();
        return start.startsWith("-----BEGIN PGP ") ? PgpPackets.dearmor(part, kind) : part;
    }

    private static boolean cmsEncrypted(HeaderSection headers, byte[] body) {
        TypedContent content = contentInfo(decoded(headers, body), Set.of(ENVELOPED_DATA, AUTH_ENVELOPED_DATA));
        boolean authenticated = content.oid().equals(AUTH_ENVELOPED_DATA);
        List<Ber.Element> fields = sequence(content.value());
        int at = 0;
        require(fields.size() > at && fields.get(at++).is(Ber.UNIVERSAL, Ber.INTEGER), "a version");
        if (fields.size() > at && fields.get(at).is(Ber.CONTEXT, 0)) {
            at++;
        }
        require(fields.size() > at && fields.get(at).is(Ber.UNIVERSAL, Ber.SET)
                && !fields.get(at++).children().isEmpty(), "recipients");
        require(fields.size() > at && fields.get(at).is(Ber.UNIVERSAL, Ber.SEQUENCE), "encrypted content info");
        List<Ber.Element> info = fields.get(at++).children();
        require(info.size() == 3 && info.get(0).is(Ber.UNIVERSAL, Ber.OID) && info.get(1).is(Ber.UNIVERSAL, Ber.SEQUENCE)
                && info.get(2).is(Ber.CONTEXT, 0) && octetCount(info.get(2)) > 0, "encrypted content");
        if (authenticated) {
            while (fields.size() > at && fields.get(at).tagClass() == Ber.CONTEXT) {
                at++;
            }
            require(fields.size() > at && fields.get(at).is(Ber.UNIVERSAL, Ber.OCTET_STRING)
                    && fields.get(at).contentLength() > 0, "a MAC");
        }
        return true;
    }

    private static boolean cmsSigned(HeaderSection headers, ContentType type, byte[] body) throws IOException {
        byte[] der;
        if (type.mediaType().equals("multipart/signed")) {
            List<Part> parts = parts(type, body);
            if (parts.size() != 2 || !SIGNATURE_TYPES.contains(parts.get(1).type().mediaType())) {
                return false;
            }
            der = parts.get(1).decoded();
        } else if (PKCS7_MIME.contains(type.mediaType())) {
            der = decoded(headers, body);
        } else {
            return false;
        }
        Ber.Element content = contentInfo(der, Set.of(SIGNED_DATA)).value();
        List<Ber.Element> fields = sequence(content);
        require(fields.size() >= 4 && fields.get(0).is(Ber.UNIVERSAL, Ber.INTEGER)
                && fields.get(1).is(Ber.UNIVERSAL, Ber.SET) && fields.get(2).is(Ber.UNIVERSAL, Ber.SEQUENCE), "signed data");
        Ber.Element signers = fields.get(fields.size() - 1);
        require(signers.is(Ber.UNIVERSAL, Ber.SET) && !signers.children().isEmpty(), "signers");
        return true;
    }

    private record TypedContent(String oid, Ber.Element value) {
    }

    private static TypedContent contentInfo(byte[] der, Set<String> wanted) {
        List<Ber.Element> contentInfo = sequence(Ber.only(der));
        require(contentInfo.size() == 2 && contentInfo.get(1).is(Ber.CONTEXT, 0) && contentInfo.get(1).constructed(),
                "a content info");
        String oid = contentInfo.get(0).oid();
        require(wanted.contains(oid), "content of type " + wanted);
        List<Ber.Element> explicit = contentInfo.get(1).children();
        require(explicit.size() == 1, "one content");
        return new TypedContent(oid, explicit.get(0));
    }

    private static List<Ber.Element> sequence(Ber.Element element) {
        require(element.is(Ber.UNIVERSAL, Ber.SEQUENCE) && element.constructed(), "a sequence");
        return element.children();
    }

    /** @return the octets of an OCTET STRING, primitive or constructed of chunks */
    private static long octetCount(Ber.Element element) {
        if (!element.constructed()) {
            return element.contentLength();
        }
        long total = 0;
        for (Ber.Element chunk : element.children()) {
            total += octetCount(chunk);
        }
        return total;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("no " + what);
        }
    }

    private static byte[] decoded(HeaderSection headers, byte[] body) {
        return decode(headers.get("Content-Transfer-Encoding").orElse(""), body);
    }

    private static byte[] decode(String transferEncoding, byte[] body) {
        return switch (transferEncoding.strip().toLowerCase(Locale.ROOT)) {
            case "base64" -> Base64.getMimeDecoder().decode(body);
            case "", "7bit", "8bit", "binary" -> body;
            default -> throw new IllegalArgumentException("transfer encoding " + transferEncoding);
        };
    }

    /** One body part of a multipart entity. */
    private record Part(ContentType type, byte[] decoded) {
    }

    /** @return the body parts between the boundaries (RFC 2046 section 5.1.1) */
    private static List<Part> parts(ContentType type, byte[] body) {
        List<Part> parts = new ArrayList<>();
        for (MimeEntity.Range range : MimeEntity.multipartParts(body, new MimeEntity.Range(0, body.length),
                type.parameter("boundary"))) {
            MimeEntity part = MimeEntity.parse(body, range.from(), range.to());
            parts.add(new Part(part.contentType(), decode(part.transferEncoding(), part.bodyCopy())));
        }
        return parts;
    }
}
