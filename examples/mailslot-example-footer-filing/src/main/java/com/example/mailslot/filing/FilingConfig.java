package com.example.mailslot.filing;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The fixed settings; the rules are the numbered properties {@code rule.1}, {@code rule.2}, ... beside them. */
@ObjectClassDefinition(name = "Example filing",
        description = "Files retrieved mail into Maildir++ folders by header rules (a Mailslot example). PID "
                + FilingHandler.PID + "; rules are rule.1, rule.2, ... = 'Header: pattern -> Folder'")
public @interface FilingConfig {

    @AttributeDefinition(description = "Root of the Maildir++ trees, one per account; empty for "
            + "${karaf.data}/mailslot/filed")
    String maildir_root() default "";

    @AttributeDefinition(description = "Where mail goes that no rule matches: INBOX or a folder name")
    String default_folder() default "INBOX";
}
