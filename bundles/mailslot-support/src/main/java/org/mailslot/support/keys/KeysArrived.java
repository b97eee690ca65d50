package org.mailslot.support.keys;

import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.spool.WaitReason;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What a key store does once keys are stored (imported or generated): it tells the spool, so that
 * the mail the crypto policy holds for a missing key is tried now rather than after its backoff.
 * Both crypto bundles use this class, so they wake the same messages.
 */
public final class KeysArrived {

    private KeysArrived() {
    }

    /**
     * Tells the spool found now. A key store looks it up when keys are stored rather than holding a DS
     * reference: the spool reaches the key stores through the crypto policy, and a reference back closes
     * a circle that kept the crypto policy from binding a restarted key store at once (HotSwapEncryptionIT).
     *
     * @param context the key store's bundle
     */
    public static void tell(BundleContext context) {
        ServiceReference<OutboundPipeline> reference = context.getServiceReference(OutboundPipeline.class);
        if (reference == null) {
            return;
        }
        OutboundPipeline spool = context.getService(reference);
        try {
            tell(spool);
        } finally {
            if (spool != null) {
                context.ungetService(reference);
            }
        }
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
