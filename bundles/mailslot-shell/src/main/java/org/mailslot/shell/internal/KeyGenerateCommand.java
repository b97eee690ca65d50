package org.mailslot.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.mail.MailAddress;

@Service
@Command(scope = "mailslot", name = "key-generate",
        description = "Generates one of our identities for an address: an OpenPGP key (Ed25519 signing, Cv25519"
                + " encryption) or a self-issued S/MIME certificate with its private key, stored protected by the"
                + " passphrase of org.mailslot.openpgp or org.mailslot.smime.")
public class KeyGenerateCommand implements Action {

    static final String HELD_MESSAGES_HINT = "Messages the crypto policy holds for a missing key are being tried again"
            + " now; mailslot:queue shows those still waiting.";

    @Reference(optional = true)
    List<CryptoKeys> stores;

    @Argument(index = 0, name = "address", description = "The address to bind, e.g. alice@example.org", required = true)
    String address;

    @Option(name = "--type", description = "pgp (default) or smime")
    String type;

    @Override
    public Object execute() {
        MailAddress parsed = MailAddress.parse(address);
        CryptoTechnology technology = KeyStores.type(type).orElse(CryptoTechnology.PGP);
        CryptoKeys store = KeyStores.store(stores, technology);
        KeyInfo generated;
        try {
            generated = store.generate(parsed);
        } catch (CryptoException e) {
            throw new IllegalStateException("The " + technology.configName() + " store could not generate a key for "
                    + parsed + " (" + e.reason().name().toLowerCase().replace('_', ' ') + "): " + e.getMessage(), e);
        }
        KeyStores.print(List.of(generated), System.out);
        System.out.println(HELD_MESSAGES_HINT);
        return null;
    }
}
