package org.mailslot.api.mail;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One forward path of an envelope with its DSN parameters (RFC 3461): the conditions under
 * which a delivery status notification is wanted and the original recipient, carried through
 * relays unchanged.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the recipient's mailbox
 * @param notifyOn the NOTIFY conditions; empty when the client gave none (the server's default
 *     applies: failure and delay)
 * @param originalRecipient the ORCPT value as {@code addr-type;address} with the address decoded
 *     from xtext (the transport encodes it again for the next hop), if the client gave one
 */
@ProviderType
public record Recipient(MailAddress address, Set<DsnNotify> notifyOn, Optional<String> originalRecipient) {

    /** Longest ORCPT value accepted, in characters (RFC 3461 section 4.2 bounds it at 500). */
    public static final int MAX_ORIGINAL_RECIPIENT = 500;

    /**
     * @throws IllegalArgumentException if NEVER is combined with another condition, or the
     *     ORCPT value is too long or not printable ASCII
     */
    public Recipient {
        Objects.requireNonNull(address, "address");
        notifyOn = notifyOn.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(notifyOn));
        if (notifyOn.contains(DsnNotify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other conditions: " + notifyOn);
        }
        Objects.requireNonNull(originalRecipient, "originalRecipient");
        originalRecipient.ifPresent(Recipient::checkOriginalRecipient);
    }

    /** @return a recipient without DSN parameters */
    public static Recipient of(MailAddress address) {
        return new Recipient(address, Set.of(), Optional.empty());
    }

    /** @return a recipient without DSN parameters, parsing the address */
    public static Recipient of(String address) {
        return of(MailAddress.parse(address));
    }

    private static void checkOriginalRecipient(String value) {
        MailSyntax.requireSingleLine("ORCPT", value);
        if (value.length() > MAX_ORIGINAL_RECIPIENT) {
            throw new IllegalArgumentException("ORCPT is longer than " + MAX_ORIGINAL_RECIPIENT + " characters");
        }
        if (value.indexOf(';') <= 0) {
            throw new IllegalArgumentException("ORCPT " + MailSyntax.quote(value) + " is not of the form addr-type;address");
        }
        if (!value.chars().allMatch(c -> c >= 32 && c < 127)) {
            throw new IllegalArgumentException("ORCPT " + MailSyntax.quote(value) + " holds characters outside printable ASCII");
        }
    }
}
