package org.mailslot.smime.internal;

import org.mailslot.api.mail.MailAddress;

/** The address of a From field value ({@code Alice <alice@example.org>}, {@code alice@example.org}); the first mailbox only. */
final class FromAddress {

    private FromAddress() {
    }

    /** @return the address, or null if there is none that parses */
    static MailAddress of(String value) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        int open = text.lastIndexOf('<');
        int close = text.lastIndexOf('>');
        if (open >= 0 && close > open) {
            text = text.substring(open + 1, close);
        } else {
            int comma = text.indexOf(',');
            if (comma >= 0) {
                text = text.substring(0, comma);
            }
            int comment = text.indexOf('(');
            if (comment >= 0) {
                text = text.substring(0, comment);
            }
        }
        try {
            return MailAddress.parse(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
