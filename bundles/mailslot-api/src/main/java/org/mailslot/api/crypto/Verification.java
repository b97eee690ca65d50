package org.mailslot.api.crypto;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.MailAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A structured signature result. Immutable.
 *
 * @param status the outcome
 * @param technology the technology that checked the signature
 * @param signerId the signer's key fingerprint (OpenPGP) or certificate issuer and serial (S/MIME),
 *     empty when unknown
 * @param signerAddresses the addresses bound to the signer's key or certificate, empty when unknown
 * @param signedAt the signature creation time the signature claims, if any
 * @param detail one line for operators and logs, never parsed
 */
@ProviderType
public record Verification(VerificationStatus status, CryptoTechnology technology, String signerId,
        List<MailAddress> signerAddresses, Optional<Instant> signedAt, String detail) {

    public Verification {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(technology, "technology");
        signerId = signerId == null ? "" : signerId;
        signerAddresses = List.copyOf(signerAddresses);
        Objects.requireNonNull(signedAt, "signedAt");
        detail = detail == null ? "" : detail;
    }

    /** @return the result for a message that carries no signature */
    public static Verification notSigned(CryptoTechnology technology) {
        return new Verification(VerificationStatus.NOT_SIGNED, technology, "", List.of(), Optional.empty(),
                "not signed");
    }
}
