package org.mailslot.shell.internal;

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
@Command(scope = "mailslot", name = "key-remove",
        description = "Removes one key or certificate (and its secret part, if held) from its store. Messages the"
                + " policy must encrypt to its addresses are held from then on.")
public class KeyRemoveCommand implements Action {

    @Reference(optional = true)
    List<CryptoKeys> stores;

    @Argument(index = 0, name = "id", description = "The key's id as mailslot:keys shows it, or at least 8 of its first hex digits",
            required = true)
    @Completion(KeyIdCompleter.class)
    String id;

    @Option(name = "--type", description = "Only look in this store: pgp or smime")
    String type;

    @Override
    public Object execute() {
        KeyStores.Found found = KeyStores.byId(stores, id, KeyStores.type(type));
        if (!found.store().remove(found.key().id())) {
            throw new IllegalStateException("The " + found.store().technology().configName() + " store no longer holds "
                    + found.key().id());
        }
        System.out.println("Removed " + found.store().technology().configName() + " key " + found.key().id()
                + (found.key().secret() ? " with its secret key" : ""));
        return null;
    }
}
