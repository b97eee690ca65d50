package org.mailslot.shell.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The shell's configuration, {@value ShellFiles#PID}, as Metatype declares it. The commands read
 * it when they run ({@link ShellFiles#configured}); this component checks it whenever it changes (Declarative Services
 * makes it anew), so
 * that a bad value shows in {@code mailslot:status} before a command trips over it.
 */
@Component(configurationPid = ShellFiles.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
@Designate(ocd = ShellConfiguration.Config.class)
public final class ShellConfiguration {

    @ObjectClassDefinition(name = "Mailslot shell",
            description = "Settings of the mailslot commands.")
    public @interface Config {

        @AttributeDefinition(name = "Files directory", required = false,
                description = "The one directory whose files the commands read (send --file, key-import) and write"
                        + " (key-export --output), named by file name only; an absolute path. Empty:"
                        + " ${karaf.data}/mailslot/shell.")
        String files_directory() default "";

        @AttributeDefinition(name = "Longest wait", required = false,
                description = "mailslot:status fails (exit status 1) when a message that is not held has waited in the"
                        + " spool longer than this: a duration such as 30m, 2h or 1d. mailslot:status --max-wait overrides it.")
        String status_max_wait() default MaxWait.DEFAULT;
    }

    @Activate
    public ShellConfiguration(Config config) {
        ShellFiles.of(config.files_directory());
        MaxWait.configured(config.status_max_wait());
    }
}
