package org.mailslot.shell.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.crypto.CryptoKeys;

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

    @Option(name = "--output", description = "Write to this file instead of printing")
    String output;

    @Override
    public Object execute() throws IOException {
        KeyStores.Found found = KeyStores.byId(stores, id, java.util.Optional.empty());
        String exported = found.store().exportPublic(found.key().id()).orElseThrow(() -> new IllegalStateException(
                "The " + found.store().technology().configName() + " store no longer holds " + found.key().id()));
        if (output == null) {
            System.out.print(exported.endsWith("\n") ? exported : exported + "\n");
        } else {
            Files.writeString(Path.of(output), exported, StandardCharsets.US_ASCII);
            System.out.println("Wrote the public part of " + found.key().id() + " to " + output);
        }
        return null;
    }
}
