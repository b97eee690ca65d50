package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;

@Service
@Command(scope = "mailslot", name = "keys",
        description = "Lists the OpenPGP keys and S/MIME certificates of every key store: technology, id, addresses,"
                + " whether the secret key is held, algorithm, expiry, revocation, and whether it can encrypt and sign now.")
public class KeysCommand implements Action {

    // Every store registered now; empty when neither crypto bundle runs.
    @Reference(optional = true)
    List<CryptoKeys> stores;

    @Option(name = "--type", description = "Only this store: pgp or smime")
    String type;

    @Argument(index = 0, name = "address-or-id", description = "Only keys for this address, or with this id (prefix)")
    String filter;

    @Override
    public Object execute() {
        Optional<CryptoTechnology> technology = KeyStores.type(type);
        List<CryptoKeys> selected = technology.isPresent()
                ? List.of(KeyStores.store(stores, technology.get())) : KeyStores.requireAny(stores);
        print(selected, filter, System.out);
        return null;
    }

    static void print(List<CryptoKeys> stores, String filter, PrintStream out) {
        List<KeyInfo> keys = new ArrayList<>();
        for (CryptoKeys store : stores) {
            keys.addAll(filter == null ? store.list() : store.find(filter));
        }
        KeyStores.print(keys, out);
        out.println(keys.size() + (keys.size() == 1 ? " key" : " keys") + " in "
                + String.join(" and ", stores.stream().map(store -> store.technology().configName()).toList())
                + (stores.size() == 1 ? " store" : " stores"));
    }
}
