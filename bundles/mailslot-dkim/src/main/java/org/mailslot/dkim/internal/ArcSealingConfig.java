package org.mailslot.dkim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot ARC sealing",
        description = "The arc-seal pipeline stage: an ARC set (RFC 8617) on mail Mailslot received from another host,"
                + " checked, and now forwards. Off unless a domain is set.")
public @interface ArcSealingConfig {

    @AttributeDefinition(name = "Sealing domain", required = false,
            description = "d= of the ARC sets Mailslot adds; empty (the default): no sealing. The key is the"
                    + " org.mailslot.dkim configuration of this domain and the selector below.")
    String domain() default "";

    @AttributeDefinition(name = "Selector", required = false,
            description = "s= of the sealing key: one of the domain's org.mailslot.dkim keys (rsa-sha256, which every"
                    + " ARC verifier knows, or ed25519-sha256).")
    String selector() default "";
}
