package org.mailslot.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot sender authentication",
        description = "SPF, DKIM and DMARC checks of mail received on relay listeners (port 25), and the Authentication-Results field")
public @interface AuthConfig {

    @AttributeDefinition(name = "authserv-id", required = false,
            description = "The authserv-id of the Authentication-Results field Mailslot adds; received fields that claim it are removed. Empty: the host name")
    String authserv_id() default "";

    @AttributeDefinition(name = "Public suffix list",
            description = "The public suffix list (publicsuffix.org format) DMARC finds organizational domains with")
    String public_suffix_list() default "/usr/share/publicsuffix/public_suffix_list.dat";

    @AttributeDefinition(name = "Enforce DMARC policies",
            description = "true: a relay listener refuses mail failing DMARC under p=reject (550 5.7.1) and marks mail under p=quarantine with X-Mailslot-Quarantine; false: only the Authentication-Results field is added")
    boolean enforce() default true;
}
