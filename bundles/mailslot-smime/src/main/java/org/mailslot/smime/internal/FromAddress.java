package org.mailslot.smime.internal;

import java.util.List;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.support.mail.AddressList;

/**
 * The author a signature is judged against: the one mailbox of the message's one From field. A
 * From field with several mailboxes (or several From fields) has no such author, so no signature
 * can be VALID for it.
 */
final class FromAddress {

    private FromAddress() {
    }

    /** @return the address, or null unless there is exactly one From field holding exactly one mailbox */
    static MailAddress of(List<String> fromFields) {
        return AddressList.singleMailbox(fromFields).orElse(null);
    }

    /** @return why {@link #of} is null, for the verification's detail */
    static String whyNone(List<String> fromFields) {
        return AddressList.whyNotSingle(fromFields).orElse("no single From address");
    }
}
