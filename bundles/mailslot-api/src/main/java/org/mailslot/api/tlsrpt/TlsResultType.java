package org.mailslot.api.tlsrpt;

import org.osgi.annotation.versioning.ProviderType;

/** Why a TLS session failed: the {@code result-type} of an RFC 8460 report (section 4.3). */
@ProviderType
public enum TlsResultType {
    /** The MX host did not offer STARTTLS (or no TLS could be negotiated with it). */
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    /** The certificate does not name the host the policy requires. */
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    /** The certificate has expired. */
    CERTIFICATE_EXPIRED("certificate-expired"),
    /** The certificate does not chain to a trusted root. */
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    /** Another failure of the policy: an MX host the MTA-STS policy does not name, for example. */
    VALIDATION_FAILURE("validation-failure"),
    /** The certificate matched none of the MX host's TLSA records. */
    TLSA_INVALID("tlsa-invalid"),
    /** The DNSSEC validation of the MX or TLSA records failed (bogus, or no answer). */
    DNSSEC_INVALID("dnssec-invalid"),
    /** DANE is required ({@code dane-only}) and the MX host has no DNSSEC-validated TLSA records. */
    DANE_REQUIRED("dane-required"),
    /** The MTA-STS policy could not be fetched. */
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    /** The MTA-STS policy fetched is not valid. */
    STS_POLICY_INVALID("sts-policy-invalid"),
    /** The certificate of the MTA-STS policy host did not validate. */
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String keyword;

    TlsResultType(String keyword) {
        this.keyword = keyword;
    }

    /** @return the value the report's JSON writes, such as {@code certificate-expired} */
    public String keyword() {
        return keyword;
    }

    /**
     * @param keyword a {@link #keyword()}
     * @return the type
     * @throws IllegalArgumentException if it is none
     */
    public static TlsResultType ofKeyword(String keyword) {
        for (TlsResultType type : values()) {
            if (type.keyword.equals(keyword)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not an RFC 8460 result-type: " + keyword);
    }
}
