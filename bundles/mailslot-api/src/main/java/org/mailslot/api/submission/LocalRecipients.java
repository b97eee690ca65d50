package org.mailslot.api.submission;

import org.mailslot.api.mail.MailAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who may receive mail in the local domains: the one rule the SMTP listener applies at RCPT (so
 * that mail for an unknown local user is refused before its data is taken, and no mailbox is made
 * for an invented name) and the spool applies again at delivery.
 *
 * <p><b>Threading.</b> Thread-safe. {@link #check} is called from an SMTP listener's event loop:
 * it answers from memory (what it has to read, such as a realm's users or a mailbox's size, it
 * caches) and never blocks for long.
 *
 * <p><b>Failure.</b> It fails closed: when it cannot tell whether a local user exists (a realm
 * named in the configuration is not available), the address is {@link Verdict#UNKNOWN}. The
 * {@code postmaster} of every local domain is always {@link Verdict#ACCEPTED} (RFC 5321 section 4.5.1).
 *
 * @since 1.3
 */
@ProviderType
public interface LocalRecipients {

    /** What becomes of mail for an address. */
    @ProviderType
    enum Verdict {
        /** Taken: a known local user with room in the mailbox, or an address outside the local domains. */
        ACCEPTED,
        /** No such local user: refused with 550 5.1.1. */
        UNKNOWN,
        /** A known local user whose mailbox is at its size limit: 452 4.2.2 at RCPT, 552 5.2.2 at delivery. */
        MAILBOX_FULL
    }

    /** Every address accepted: what a submission service that keeps no local mailboxes answers. */
    LocalRecipients ANY = recipient -> Verdict.ACCEPTED;

    /**
     * @param recipient an envelope recipient
     * @return whether mail for it is taken; {@link Verdict#ACCEPTED} for an address outside the
     *     local domains, which is not this rule's to judge
     */
    Verdict check(MailAddress recipient);
}
