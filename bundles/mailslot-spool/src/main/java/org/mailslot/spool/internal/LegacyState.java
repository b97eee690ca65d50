package org.mailslot.spool.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailslot.api.spool.WaitReason;

/**
 * What a state file written before wait reasons were stored means: its texts are read once, when
 * the spool loads it, into the typed values every later attempt keeps.
 */
final class LegacyState {

    /** A next hop's temporary reply as such a state recorded it: code, then perhaps an enhanced code. */
    private static final Pattern REPLY = Pattern.compile("(4\\d{2})(?: (4\\.\\d{1,3}\\.\\d{1,3}))?");

    private LegacyState() {
    }

    static WaitReason reasonOf(String text) {
        if (text.startsWith(DeliveryScheduler.MISSING_STAGE)) {
            return WaitReason.MISSING_PIPELINE_STAGE;
        }
        if (text.equals(DeliveryScheduler.NO_TRANSPORT)) {
            return WaitReason.NO_TRANSPORT;
        }
        if (text.startsWith(Destinations.SUSPENDED)) {
            return WaitReason.DESTINATION_SUSPENDED;
        }
        if (text.startsWith(DeliveryScheduler.NO_ROUTE)) {
            return WaitReason.NO_ROUTE;
        }
        if (text.startsWith(DeliveryScheduler.LOCAL_FAILURE)) {
            return WaitReason.LOCAL_DELIVERY_FAILED;
        }
        if (text.contains(" required for ")) {
            return WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING;
        }
        if (REPLY.matcher(text).lookingAt()) {
            return WaitReason.DEFERRED_BY_NEXT_HOP;
        }
        return WaitReason.UNSPECIFIED;
    }

    /** @return the enhanced status of the 4xx reply the text starts with ("" if it has none), or null if it is no such reply */
    static String smtpStatusOf(String text) {
        Matcher code = REPLY.matcher(text);
        return !code.lookingAt() ? null : code.group(2) == null ? "" : code.group(2);
    }
}
