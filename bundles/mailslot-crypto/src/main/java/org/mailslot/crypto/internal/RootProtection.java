package org.mailslot.crypto.internal;

import java.util.Locale;
import java.util.Optional;

import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.support.mail.ContentType;

/**
 * How the MIME root of a message says it is protected, read from its Content-Type alone, so that
 * it can be told even when the technology's bundle is absent. Inbound the technology then opens
 * it; outbound only {@link ProtectedStructure} decides that a message is protected.
 *
 * @param technology the technology
 * @param encrypted true for encrypted content (PGP/MIME multipart/encrypted, S/MIME enveloped or
 *     authenticated-enveloped data); false for a signature
 */
record RootProtection(CryptoTechnology technology, boolean encrypted) {

    /** @return the protection of the message's MIME root, if it has one this code recognises */
    static Optional<RootProtection> of(HeaderSection headers) {
        ContentType type = ContentType.parse(headers.get("Content-Type").orElse(null));
        String protocol = lowerCase(type.parameter("protocol"));
        return switch (type.mediaType()) {
            case "multipart/encrypted" -> protocol.equals("application/pgp-encrypted")
                    ? Optional.of(new RootProtection(CryptoTechnology.PGP, true)) : Optional.empty();
            case "multipart/signed" -> switch (protocol) {
                case "application/pgp-signature" -> Optional.of(new RootProtection(CryptoTechnology.PGP, false));
                case "application/pkcs7-signature", "application/x-pkcs7-signature" ->
                        Optional.of(new RootProtection(CryptoTechnology.SMIME, false));
                default -> Optional.empty();
            };
            case "application/pkcs7-mime", "application/x-pkcs7-mime" -> Optional.of(new RootProtection(
                    CryptoTechnology.SMIME, !lowerCase(type.parameter("smime-type")).equals("signed-data")));
            default -> Optional.empty();
        };
    }

    private static String lowerCase(String parameter) {
        return parameter == null ? "" : parameter.toLowerCase(Locale.ROOT);
    }
}
