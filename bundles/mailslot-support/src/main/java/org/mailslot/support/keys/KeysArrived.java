package org.mailslot.support.keys;

import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.support.osgi.ServiceAtUse;
import org.osgi.framework.BundleContext;

/**
 * What a key store does once keys are stored (imported or generated): it tells the spool, so that
 * the mail the crypto policy holds for a missing key is tried now rather than after its backoff.
 * Both crypto bundles use this class, so they wake the same messages.
 */
public final class KeysArrived {

    private KeysArrived() {
    }

    /**
     * Tells the spool found now: the spool reaches the key stores through the crypto policy, so a key store
     * holds no reference to it ({@link ServiceAtUse} says why).
     *
     * @param context the key store's bundle
     */
    public static void tell(BundleContext context) {
        ServiceAtUse.lookedUpIn(context, OutboundPipeline.class).accept(KeysArrived::tell);
    }

    /**
     * Call it after the keys are in the store the crypto policy asks: the attempts it starts must find them.
     *
     * @param spool the spool's pipeline, or null while there is none (nothing is attempted then)
     */
    public static void tell(OutboundPipeline spool) {
        if (spool != null) {
            spool.arrived(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);
        }
    }
}
