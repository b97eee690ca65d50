package org.mailslot.retrieval.internal;

import org.mailslot.api.crypto.CryptoStages;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot retrieval", description = "What every retrieval account shares.")
public @interface RetrievalConfig {

    @AttributeDefinition(name = "Required inbound stages",
            description = "Names (mailslot.processor.name) of InboundProcessor services without which nothing is handed"
                    + " to handlers: while one is missing, retrieved mail stays stored locally and waits. By default"
                    + " crypto-open, the decryption and verification of mailslot-crypto, so that handlers never get"
                    + " encrypted mail as if it were plain while that bundle is stopped or not installed; none requires"
                    + " no stage.")
    String[] inbound_required() default {CryptoStages.OPEN};
}
