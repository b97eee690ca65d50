package org.mailslot.retrieval.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot retrieval", description = "What every retrieval account shares.")
public @interface RetrievalConfig {

    @AttributeDefinition(name = "Required inbound stages", required = false,
            description = "Names (mailslot.processor.name) of InboundProcessor services without which nothing is handed"
                    + " to handlers: while one is missing, retrieved mail stays stored locally and waits. The"
                    + " distribution ships crypto-open, the decryption and verification of mailslot-crypto.")
    String[] inbound_required() default {};
}
