package org.mailslot.api.crypto;

import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/** The two end-to-end technologies, with the names used in configuration and service properties. */
@ProviderType
public enum CryptoTechnology {
    /** OpenPGP, messages in PGP/MIME (RFC 3156). */
    PGP,
    /** S/MIME 4.0 (RFC 8551). */
    SMIME;

    /** @return the lower-case name used in configuration: {@code pgp} or {@code smime} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code pgp} or {@code smime}, any case, surrounding blanks ignored
     * @return the technology
     * @throws IllegalArgumentException naming the accepted values if the name is neither
     */
    public static CryptoTechnology fromConfig(String name) {
        String key = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        for (CryptoTechnology technology : values()) {
            if (technology.name().equals(key)) {
                return technology;
            }
        }
        throw new IllegalArgumentException("unknown crypto technology '" + name + "' (pgp or smime)");
    }
}
