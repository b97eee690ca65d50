package org.mailslot.openpgp.internal;

import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.util.encoders.Hex;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.Verification;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;

/**
 * Turns OpenPGP signatures over a whole message into one structured {@link Verification}: the
 * cryptography first (INVALID, UNKNOWN_KEY), then the key's state (REVOKED, EXPIRED), then whether
 * the signer's bound user IDs include the From address (SIGNER_MISMATCH). With several signatures
 * a VALID one wins, otherwise the first result is reported.
 */
final class SignatureCheck {

    private static final CryptoTechnology PGP = CryptoTechnology.PGP;

    private SignatureCheck() {
    }

    static Verification verify(byte[] signed, List<PGPSignature> signatures, PgpMessageCrypto.Author from,
            PgpKeyStore store) {
        Verification first = null;
        for (PGPSignature signature : signatures) {
            Verification result = verifyOne(signed, signature, from, store);
            if (result.status() == VerificationStatus.VALID) {
                return result;
            }
            if (first == null) {
                first = result;
            }
        }
        return first != null ? first : Verification.notSigned(PGP);
    }

    static Verification invalid(String detail) {
        return new Verification(VerificationStatus.INVALID, PGP, "", List.of(), Optional.empty(), detail);
    }

    private static Verification verifyOne(byte[] signed, PGPSignature signature, PgpMessageCrypto.Author author,
            PgpKeyStore store) {
        MailAddress from = author.address();
        Optional<Date> signedAt = Optional.ofNullable(signature.getCreationTime());
        String issuer = issuer(signature);
        int type = signature.getSignatureType();
        if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            return result(VerificationStatus.INVALID, issuer, List.of(), signedAt,
                    "not a document signature (type 0x" + Integer.toHexString(type) + ")");
        }
        StoredKey holder = null;
        PGPPublicKey component = null;
        for (KeyIdentifier identifier : signature.getKeyIdentifiers()) {
            Optional<StoredKey> found = store.holding(identifier);
            if (found.isPresent()) {
                holder = found.get();
                component = holder.publicRing.getPublicKey(identifier);
                break;
            }
        }
        if (holder == null || component == null) {
            return result(VerificationStatus.UNKNOWN_KEY, issuer, List.of(), signedAt,
                    "signed by key " + issuer + ", which is not in the key store");
        }
        Date now = store.now();
        List<MailAddress> addresses = holder.addresses(now);
        boolean good;
        try {
            signature.init(new JcaPGPContentVerifierBuilderProvider().setProvider(Providers.VERIFY), component);
            signature.update(signed);
            good = signature.verify();
        } catch (PGPException | RuntimeException e) {
            return result(VerificationStatus.INVALID, holder.fingerprint, addresses, signedAt,
                    "the signature cannot be checked: " + e.getMessage());
        }
        if (!good) {
            return result(VerificationStatus.INVALID, holder.fingerprint, addresses, signedAt,
                    "the signature does not match the message (modified, or not made over it)");
        }
        Date madeAt = signedAt.orElse(now);
        if (holder.isRevoked(now) || holder.componentRevoked(component, now)) {
            return result(VerificationStatus.REVOKED, holder.fingerprint, addresses, signedAt,
                    "good signature, but key " + holder.fingerprint + " is revoked");
        }
        if (holder.isExpired(madeAt) || holder.isExpired(now) || holder.componentExpired(component, madeAt)
                || holder.componentExpired(component, now)) {
            return result(VerificationStatus.EXPIRED, holder.fingerprint, addresses, signedAt,
                    "good signature, but key " + holder.fingerprint + " has expired");
        }
        if (madeAt.after(new Date(now.getTime() + 5 * 60_000))) {
            return result(VerificationStatus.INVALID, holder.fingerprint, addresses, signedAt,
                    "the signature claims to be made in the future");
        }
        if (!holder.canSignAt(component, madeAt)) {
            return result(VerificationStatus.INVALID, holder.fingerprint, addresses, signedAt,
                    "key " + StoredKey.fingerprint(component) + " was not valid for signing when the signature was made");
        }
        List<MailAddress> bound = holder.boundAddresses(madeAt);
        if (from == null || !bound.contains(from)) {
            return result(VerificationStatus.SIGNER_MISMATCH, holder.fingerprint, addresses, signedAt,
                    "good signature by " + bound + ", but " + (from == null ? author.whyNone() : "the message is from " + from));
        }
        return result(VerificationStatus.VALID, holder.fingerprint, addresses, signedAt,
                "good signature by " + from + " (" + holder.fingerprint + ")");
    }

    private static String issuer(PGPSignature signature) {
        for (KeyIdentifier identifier : signature.getKeyIdentifiers()) {
            if (identifier.getFingerprint() != null) {
                return Hex.toHexString(identifier.getFingerprint()).toUpperCase(java.util.Locale.ROOT);
            }
        }
        return String.format("%016X", signature.getKeyID());
    }

    private static Verification result(VerificationStatus status, String signerId, List<MailAddress> addresses,
            Optional<Date> signedAt, String detail) {
        return new Verification(status, PGP, signerId, addresses, signedAt.map(Date::toInstant), detail);
    }
}
