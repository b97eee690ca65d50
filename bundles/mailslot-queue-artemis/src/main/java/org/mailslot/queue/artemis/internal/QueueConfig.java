package org.mailslot.queue.artemis.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot queue store",
        description = "Where the queue of accepted, not yet delivered mail is kept: the node's own files, or an Apache"
                + " ActiveMQ Artemis broker that several Mailslot nodes share.")
public @interface QueueConfig {

    @AttributeDefinition(name = "Store",
            description = "file: the spool's files on this node's disk (the default); artemis: a queue on the broker at"
                    + " artemis.url, shared by every node configured alike. Switch with an empty queue: the Artemis"
                    + " store refuses to start while the file spool still holds messages.")
    String store() default "file";

    @AttributeDefinition(name = "Broker URL",
            description = "Artemis' own URL syntax: tcp://HOST:61616, a failover list (tcp://a:61616,tcp://b:61616)?ha=true"
                    + "&reconnectAttempts=20&retryInterval=500 for a live/backup pair, with Artemis' parameters (sslEnabled=true, ...)")
    String artemis_url() default "tcp://127.0.0.1:61616";

    @AttributeDefinition(name = "Broker user", description = "The user Mailslot logs in to the broker as")
    String artemis_user() default "mailslot";

    @AttributeDefinition(name = "Broker password", type = AttributeType.PASSWORD,
            description = "That user's password; keep it out of the file as a $[secret:...] reference")
    String artemis_password() default "";

    @AttributeDefinition(name = "Queue",
            description = "The broker's queue (anycast address of the same name) that holds the mail; every node"
                    + " sharing the queue names the same one")
    String artemis_queue() default "mailslot.queue";
}
