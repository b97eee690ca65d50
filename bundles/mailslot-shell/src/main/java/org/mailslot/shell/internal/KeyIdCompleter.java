package org.mailslot.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mailslot.api.crypto.CryptoKeys;

/** Completes the ids of the keys in every store. */
@Service
public class KeyIdCompleter implements Completer {

    @Reference(optional = true)
    List<CryptoKeys> stores;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        KeyStores.sorted(stores).forEach(store -> store.list().forEach(key -> ids.getStrings().add(key.id())));
        return ids.complete(session, commandLine, candidates);
    }
}
