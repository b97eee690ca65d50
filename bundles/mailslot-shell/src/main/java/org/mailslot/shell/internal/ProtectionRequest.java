package org.mailslot.shell.internal;

import java.nio.charset.StandardCharsets;

import org.mailslot.api.pipeline.MessageProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

/**
 * {@code mailslot:send --encrypt --sign}: the request is a header that the crypto policy of
 * mailslot-crypto reads, applies (as if its rules said encrypt required and sign always for every
 * recipient) and removes before the message leaves. So one place decides how a message is
 * protected, and a message that cannot be protected yet waits in the spool with the reason.
 */
record ProtectionRequest(boolean encrypt, boolean sign) {

    /** The header mailslot-crypto reads; it can only raise the policy for the message. */
    static final String HEADER = "Mailslot-Protect";
    /** The {@value MessageProcessor#NAME} of mailslot-crypto's outbound policy. */
    static final String POLICY_PROCESSOR = "crypto-policy";

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
                    "(" + MessageProcessor.NAME + "=" + POLICY_PROCESSOR + ")").isEmpty()) {
                throw new IllegalStateException("--encrypt and --sign need the crypto policy, which is not registered;"
                        + " is mailslot-crypto started? Nothing was sent.");
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the message with the request header in front of its own */
    byte[] addTo(byte[] message) {
        String value = encrypt && sign ? "encrypt, sign" : encrypt ? "encrypt" : "sign";
        byte[] header = (HEADER + ": " + value + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] result = new byte[header.length + message.length];
        System.arraycopy(header, 0, result, 0, header.length);
        System.arraycopy(message, 0, result, header.length, message.length);
        return result;
    }
}
