package org.mailslot.auth.internal;

import org.mailslot.api.auth.SpfResult;

/** Ends an SPF evaluation at once with {@code temperror} or {@code permerror} (RFC 7208 section 4.6, 4.7). */
final class SpfAbort extends Exception {

    private static final long serialVersionUID = 1L;

    private final SpfResult result;

    private SpfAbort(SpfResult result, String reason) {
        super(reason, null, false, false);
        this.result = result;
    }

    static SpfAbort permerror(String reason) {
        return new SpfAbort(SpfResult.PERMERROR, reason);
    }

    static SpfAbort temperror(String reason) {
        return new SpfAbort(SpfResult.TEMPERROR, reason);
    }

    SpfResult result() {
        return result;
    }
}
