package com.example.mailslot.footer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Example footer",
        description = "Adds a footer to plain-text mail before delivery (a Mailslot example). PID " + FooterProcessor.PID)
public @interface FooterConfig {

    @AttributeDefinition(description = "The footer text; line breaks are kept. Not blank.")
    String text() default "Sent through Mailslot";

    @AttributeDefinition(description = "Messages larger than this many octets are passed on without a footer.")
    int max_size() default 10 * 1024 * 1024;

    @AttributeDefinition(description = "Order in the outbound pipeline, highest first. Keep it above the encryption "
            + "policy's so that the footer is added before a message is encrypted (an encrypted message is left alone).")
    int service_ranking() default 100;
}
