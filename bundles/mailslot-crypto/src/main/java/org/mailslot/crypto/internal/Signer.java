package org.mailslot.crypto.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.support.mail.AddressList;

/**
 * Whom a message may be signed as. A recipient's verifier compares the signature with the From
 * field, and anyone can write that field, so a message is signed as X only if its From field
 * names exactly one mailbox, X, and the envelope's {@link Envelope#authenticatedSender()} is X: the
 * submitter was vouched for as X. Otherwise it is signed as no one, for the reason given.
 *
 * @param address the address to sign as, if there is one
 * @param refusal why there is none; empty when there is one
 */
record Signer(Optional<MailAddress> address, String refusal) {

    Signer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(refusal, "refusal");
    }

    static Signer of(HeaderSection headers, Envelope envelope) {
        List<String> from = headers.all("From");
        Optional<String> notSingle = AddressList.whyNotSingle(from);
        if (notSingle.isPresent()) {
            return refused(notSingle.get());
        }
        MailAddress author = AddressList.singleMailbox(from).orElseThrow();
        Optional<MailAddress> vouched = envelope.authenticatedSender();
        if (vouched.isEmpty()) {
            return refused("the From field names <" + author + ">, but nobody vouched for the submitter"
                    + " (no authenticated sender)");
        }
        if (!vouched.get().equals(author)) {
            return refused("the From field names <" + author + ">, but the submitter was vouched for as <"
                    + vouched.get() + ">");
        }
        return new Signer(Optional.of(author), "");
    }

    private static Signer refused(String why) {
        return new Signer(Optional.empty(), why);
    }
}
