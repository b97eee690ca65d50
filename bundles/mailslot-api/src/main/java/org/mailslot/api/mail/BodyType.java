package org.mailslot.api.mail;

import org.osgi.annotation.versioning.ProviderType;

/** The body type declared with {@code MAIL FROM:<...> BODY=...} (RFC 6152, RFC 3030). */
@ProviderType
public enum BodyType {
    /** No BODY parameter: seven-bit text lines. */
    SEVEN_BIT("7BIT"),
    /** {@code BODY=8BITMIME}: octets above 127 in text lines. */
    EIGHT_BIT_MIME("8BITMIME"),
    /** {@code BODY=BINARYMIME}: arbitrary octets; needs CHUNKING to travel. */
    BINARY_MIME("BINARYMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    /** @return the keyword as written in the SMTP command */
    public String keyword() {
        return keyword;
    }

    /**
     * @param keyword a BODY parameter value, in any case
     * @return the body type
     * @throws IllegalArgumentException for an unknown keyword
     */
    public static BodyType ofKeyword(String keyword) {
        for (BodyType type : values()) {
            if (type.keyword.equalsIgnoreCase(keyword)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown BODY type " + MailSyntax.quote(keyword)
                + "; expected 7BIT, 8BITMIME or BINARYMIME");
    }
}
