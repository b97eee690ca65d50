package org.mailslot.shell.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.crypto.CryptoKeys;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "mailslot", name = "key-export",
        description = "Prints the public part of a key (armored OpenPGP) or certificate (PEM), for giving to correspondents;"
                + " never the secret part.")
public class KeyExportCommand implements Action {

    @Reference(optional = true)
    List<CryptoKeys> stores;

    @Argument(index = 0, name = "id", description = "The key's id as mailslot:keys shows it, or at least 8 of its first hex digits",
            required = true)
    @Completion(KeyIdCompleter.class)
    String id;

    @Option(name = "--output", description = "Write to this file instead of printing: the name of a new file in the shell's"
            + " directory (org.mailslot.shell files.directory, default data/mailslot/shell), not a path")
    String output;

    @Option(name = "--force", description = "With --output: replace the file if it exists")
    boolean force;

    @Reference(optional = true)
    ConfigurationAdmin configurationAdmin;

    /** Where --output is written; set by tests, else configured. */
    ShellFiles files;

    @Override
    public Object execute() throws IOException {
        KeyStores.Found found = KeyStores.byId(stores, id, java.util.Optional.empty());
        String exported = found.store().exportPublic(found.key().id()).orElseThrow(() -> new IllegalStateException(
                "The " + found.store().technology().configName() + " store no longer holds " + found.key().id()));
        if (force && output == null) {
            throw new IllegalArgumentException("--force goes with --output");
        }
        if (output == null) {
            System.out.print(exported.endsWith("\n") ? exported : exported + "\n");
        } else {
            java.nio.file.Path written = (files != null ? files : ShellFiles.configured(configurationAdmin))
                    .write("--output", output, exported.getBytes(StandardCharsets.US_ASCII), force);
            System.out.println("Wrote the public part of " + found.key().id() + " to " + written);
        }
        return null;
    }
}
