package org.mailslot.spool.internal;

import org.mailslot.api.crypto.CryptoStages;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot delivery",
        description = "The durable spool and the delivery scheduler: where mail is kept, how it is retried, which domains are local.")
public @interface DeliveryConfig {

    @AttributeDefinition(name = "Spool directory",
            description = "Where accepted messages are kept; empty for ${karaf.data}/mailslot/spool")
    String spool_directory() default "";

    @AttributeDefinition(name = "Mailbox directory",
            description = "Root of the local Maildirs (one per address); empty for ${karaf.data}/mailslot/mailboxes")
    String mailbox_directory() default "";

    @AttributeDefinition(name = "Local domains", description = "Recipient domains delivered to local Maildirs")
    String[] local_domains() default {"localhost"};

    @AttributeDefinition(name = "Maximum message size", description = "In octets; larger messages are refused (552 5.3.4)")
    long max_message_size() default 52_428_800L;

    @AttributeDefinition(name = "First retry", description = "Delay before the second attempt: 5m, 30s, 1h or ISO-8601 (PT5M)")
    String retry_initial() default "5m";

    @AttributeDefinition(name = "Longest retry", description = "The backoff doubles up to this delay")
    String retry_max() default "4h";

    @AttributeDefinition(name = "Give up after", description = "A message still undelivered this long after acceptance is bounced")
    String retry_giveup() default "5d";

    @AttributeDefinition(name = "Delay notice after",
            description = "Age at which a sender is told, once, that recipients are still waiting (RFC 3464 Action: delayed),"
                    + " for recipients with NOTIFY=DELAY or no NOTIFY; never to turn it off")
    String delay_notice() default "4h";

    @AttributeDefinition(name = "Lease time",
            description = "How long one delivery attempt may hold its message: an attempt not ended by then loses it,"
                    + " and the message is due again (its mail may be delivered twice, never lost)")
    String lease_time() default "1h";

    @AttributeDefinition(name = "Delivery threads", description = "Deliveries under way at once, in total")
    int delivery_threads() default 8;

    @AttributeDefinition(name = "Local delivery threads",
            description = "Deliveries into local Maildirs under way at once; workers of their own, so that no remote"
                    + " destination can hold local mail up")
    int local_delivery_threads() default 16;

    @AttributeDefinition(name = "Local recipients",
            description = "Who has a mailbox in the local domains (a list, or comma-separated): jaas:REALM for the users"
                    + " of a Karaf JAAS realm, an address or pattern (bob@localhost, *@lists.example), a local part"
                    + " (bob), or * for any address. Others are refused at RCPT with 550 5.1.1; postmaster is always"
                    + " accepted.")
    String[] local_recipients() default {"jaas:karaf"};

    @AttributeDefinition(name = "Mailbox size limit",
            description = "Octets a local Maildir may hold; 0 for no limit. A full mailbox gets 452 4.2.2 at RCPT; a"
                    + " message that would take it past the limit fails with 552 5.2.2 (bounced)")
    long mailbox_size_limit() default 1_073_741_824L;

    @AttributeDefinition(name = "Per destination", description = "Deliveries under way at once to one relay route or one MX domain")
    int per_destination() default 2;

    @AttributeDefinition(name = "Required pipeline stages",
            description = "Names (mailslot.processor.name) of outbound processors without which nothing is delivered:"
                    + " while one is missing, messages wait in the spool. By default crypto-policy, so that stopping"
                    + " or not installing mailslot-crypto holds mail instead of sending it unprotected; none requires"
                    + " no stage.")
    String[] pipeline_required() default {CryptoStages.POLICY};

    @AttributeDefinition(name = "Reporting MTA", description = "Host name named in delivery status notifications; empty for this host's name")
    String reporting_mta() default "";
}
