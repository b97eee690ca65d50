package org.mailslot.shell.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.crypto.CryptoStages;
import org.mailslot.api.crypto.ProtectRequest;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.support.mail.AddressList;

import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.support.mail.MimeEntity;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

/**
 * {@code mailslot:send --encrypt --sign}: the request is a header that the crypto policy of
 * mailslot-crypto reads, applies (as if its rules said encrypt required and sign always for every
 * recipient) and removes before the message leaves. So one place decides how a message is
 * protected, and a message that cannot be protected yet waits in the spool with the reason.
 */
record ProtectionRequest(boolean encrypt, boolean sign) {

    boolean any() {
        return encrypt || sign;
    }

    /**
     * Without the policy running the request would not be read and the message would leave as it
     * is, so it is refused instead.
     *
     * @throws IllegalStateException if the crypto policy is not registered
     */
    void requirePolicy(BundleContext context) {
        try {
            if (context == null || context.getServiceReferences(MessageProcessor.class,
                    "(" + MessageProcessor.NAME + "=" + CryptoStages.POLICY + ")").isEmpty()) {
                throw new IllegalStateException("--encrypt and --sign need the crypto policy, which is not registered;"
                        + " is mailslot-crypto started? Nothing was sent.");
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The policy signs a message only as the one mailbox of its From field, and only when that is
     * the sender the envelope vouches for; a message it would hold for that is refused here, at once.
     *
     * @throws IllegalArgumentException if the From field is not exactly {@code sender}
     */
    void requireAuthor(byte[] message, MailAddress sender) {
        List<String> from = fromFields(message);
        Optional<MailAddress> author = AddressList.singleMailbox(from);
        if (author.isEmpty() || !author.get().equals(sender)) {
            throw new IllegalArgumentException("--sign signs as --from (" + sender + "), so the message's From field must"
                    + " name exactly that mailbox, but " + AddressList.whyNotSingle(from)
                    .orElse("it names " + author.map(MailAddress::toString).orElse("someone else")) + ". Nothing was sent.");
        }
    }

    /** @return the values of the From fields of the message's header section, unfolded, as the crypto bundles read them */
    private static List<String> fromFields(byte[] message) {
        return MimeEntity.parse(message).headers("From");
    }

    /** @return the message with the request header in front of its own */
    byte[] addTo(byte[] message) {
        String value = new ProtectRequest(encrypt, sign).headerValue();
        byte[] header = (ProtectRequest.HEADER + ": " + value + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] result = new byte[header.length + message.length];
        System.arraycopy(header, 0, result, 0, header.length);
        System.arraycopy(message, 0, result, header.length, message.length);
        return result;
    }
}
