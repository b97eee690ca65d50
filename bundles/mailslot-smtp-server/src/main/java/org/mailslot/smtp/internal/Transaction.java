package org.mailslot.smtp.internal;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.Recipient;

/** One mail transaction, from MAIL to the end of data (or RSET, HELO/EHLO). Used on the session's loop only. */
final class Transaction {

    private final Envelope.Builder envelope;
    private final boolean smtpUtf8;
    private int recipients;
    private String firstRecipient;

    Transaction(Envelope.Builder envelope, boolean smtpUtf8) {
        this.envelope = envelope;
        this.smtpUtf8 = smtpUtf8;
    }

    /** @return whether MAIL asked for SMTPUTF8 */
    boolean smtpUtf8() {
        return smtpUtf8;
    }

    /** @return recipients accepted so far (a repeated one counts once) */
    int recipients() {
        return recipients;
    }

    /** @return the first recipient accepted, for the Received header's {@code for} clause */
    String firstRecipient() {
        return firstRecipient;
    }

    /** Adds a recipient; the same one twice is delivered once. */
    void add(Recipient recipient) {
        try {
            envelope.to(recipient);
            recipients++;
            if (firstRecipient == null) {
                firstRecipient = recipient.address().toString();
            }
        } catch (IllegalArgumentException duplicate) {
            // Taken already.
        }
    }

    Envelope envelope() {
        return envelope.build();
    }
}
