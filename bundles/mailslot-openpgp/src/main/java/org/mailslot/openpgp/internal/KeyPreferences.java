package org.mailslot.openpgp.internal;

import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.api.SignatureParameters;

/**
 * The algorithm preferences of keys we generate, on the direct-key signature and on the user ID
 * certification (GnuPG 2.2 reads them only from the latter, and without them falls back to 3DES):
 * AES-256 then AES-128, SHA-512 then SHA-256, no compression, and SEIPD v1 (MDC) only. A v4 key
 * advertising SEIPD v2 would make peers send AEAD that only RFC 9580 implementations read.
 */
final class KeyPreferences {

    private KeyPreferences() {
    }

    /** The direct-key signature: certification only (a subkey signs), the preferences, no expiry. */
    static final SignatureParameters.Callback PRIMARY = new SignatureParameters.Callback() {
        @Override
        public SignatureParameters apply(SignatureParameters parameters) {
            return preferences(parameters, true);
        }
    };

    /** The user ID certification: the preferences, where GnuPG 2.2 looks for them. */
    static final SignatureParameters.Callback USER_ID = new SignatureParameters.Callback() {
        @Override
        public SignatureParameters apply(SignatureParameters parameters) {
            return preferences(parameters, false);
        }
    };

    private static SignatureParameters preferences(SignatureParameters parameters, boolean primary) {
        return parameters.setHashedSubpacketsFunction(subpackets -> {
            if (primary) {
                subpackets.removePacketsOfType(SignatureSubpacketTags.KEY_FLAGS);
                subpackets.removePacketsOfType(SignatureSubpacketTags.KEY_EXPIRE_TIME);
                subpackets.setKeyFlags(true, KeyFlags.CERTIFY_OTHER);
            }
            subpackets.removePacketsOfType(SignatureSubpacketTags.PREFERRED_SYM_ALGS);
            subpackets.removePacketsOfType(SignatureSubpacketTags.PREFERRED_HASH_ALGS);
            subpackets.removePacketsOfType(SignatureSubpacketTags.PREFERRED_COMP_ALGS);
            subpackets.removePacketsOfType(SignatureSubpacketTags.PREFERRED_AEAD_ALGORITHMS);
            subpackets.removePacketsOfType(SignatureSubpacketTags.LIBREPGP_PREFERRED_ENCRYPTION_MODES);
            subpackets.removePacketsOfType(SignatureSubpacketTags.FEATURES);
            subpackets.setPreferredSymmetricAlgorithms(false,
                    new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            subpackets.setPreferredHashAlgorithms(false, new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA256});
            subpackets.setPreferredCompressionAlgorithms(false, new int[] {CompressionAlgorithmTags.UNCOMPRESSED});
            subpackets.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            return subpackets;
        });
    }
}
