package org.mailslot.transport.internal.delivery.dane;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.xbill.DNS.TLSARecord;

/**
 * One TLSA record (RFC 6698) as RFC 7672 uses it for SMTP: usable when its usage is DANE-TA (2) or
 * DANE-EE (3), its selector the whole certificate (0) or its public key (1), and its matching type
 * exact (0), SHA-256 (1) or SHA-512 (2). PKIX-TA (0) and PKIX-EE (1) are unusable for SMTP (RFC 7672
 * section 3.1.3), as are unknown values.
 *
 * @param usage the certificate usage
 * @param selector what of the certificate is matched
 * @param matchingType how it is matched
 * @param data the association data
 */
public record Tlsa(int usage, int selector, int matchingType, byte[] data) {

    /** DANE-TA: a trust anchor of the chain the server presents. */
    public static final int DANE_TA = 2;

    /** DANE-EE: the server's own certificate or key, no name or expiry checked. */
    public static final int DANE_EE = 3;

    public Tlsa {
        Objects.requireNonNull(data, "data");
        data = data.clone();
    }

    public static Tlsa of(TLSARecord record) {
        return new Tlsa(record.getCertificateUsage(), record.getSelector(), record.getMatchingType(),
                record.getCertificateAssociationData());
    }

    /** @return true if RFC 7672 lets an SMTP client use it */
    public boolean usable() {
        return (usage == DANE_TA || usage == DANE_EE) && (selector == 0 || selector == 1)
                && (matchingType >= 0 && matchingType <= 2) && (matchingType != 1 || data.length == 32)
                && (matchingType != 2 || data.length == 64);
    }

    /** @return true if the certificate (or its public key, with selector 1) is the one this record names */
    public boolean matches(X509Certificate certificate) {
        try {
            byte[] selected = selector == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
            byte[] value = switch (matchingType) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return value != null && MessageDigest.isEqual(value, data);
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tlsa t && t.usage == usage && t.selector == selector && t.matchingType == matchingType
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usage, selector, matchingType, Arrays.hashCode(data));
    }

    /** @return presentation form: {@code 3 1 1 0a1b...} */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }
}
