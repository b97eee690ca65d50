package org.mailslot.dkim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot DKIM signing",
        description = "How the dkim-sign pipeline stage signs; the keys are org.mailslot.dkim factory configurations.")
public @interface SigningConfig {

    @AttributeDefinition(name = "When a key cannot be used",
            description = "wait: the message stays in the spool with the reason until the key is readable (fail"
                    + " closed); unsigned: it is sent without that signature, with a warning in the log.")
    String missing_key() default "wait";

    @AttributeDefinition(name = "Canonicalization", description = "header/body: relaxed/relaxed, relaxed/simple,"
            + " simple/relaxed or simple/simple.")
    String canonicalization() default "relaxed/relaxed";
}
