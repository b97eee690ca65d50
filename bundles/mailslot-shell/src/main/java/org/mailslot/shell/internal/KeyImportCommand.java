package org.mailslot.shell.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "mailslot", name = "key-import",
        description = "Imports OpenPGP keys (armored or binary, public or secret), X.509 certificates (PEM or DER) or a"
                + " PKCS#12 identity into the store that recognises the file, and lists what was imported. An S/MIME"
                + " certificate is a trust anchor for signatures only with --trust.")
public class KeyImportCommand implements Action {

    /** Key files are small; anything larger is not one. */
    static final long MAX_FILE_SIZE = 16L * 1024 * 1024;

    @Reference(optional = true)
    List<CryptoKeys> stores;

    @Argument(index = 0, name = "file", description = "The key, certificate or PKCS#12 file: the name of a file in the"
            + " shell's directory (org.mailslot.shell files.directory, default data/mailslot/shell), not a path", required = true)
    @Completion(ShellFileCompleter.class)
    String file;

    @Reference(optional = true)
    ConfigurationAdmin configurationAdmin;

    /** Where the file is read from; set by tests, else configured. */
    ShellFiles files;

    @Option(name = "--password", description = "Password of a PKCS#12 file or a protected secret key")
    String password;

    @Option(name = "--type", description = "The store to import into, pgp or smime, when the file does not say")
    String type;

    @Option(name = "--trust", description = "S/MIME: trust the CA and self-signed certificates of the file as anchors, so"
            + " that signatures with a certification path to them verify as valid (without it, a certificate is only"
            + " encrypted to)")
    boolean trust;

    @Override
    public Object execute() throws IOException {
        byte[] material = (files != null ? files : ShellFiles.configured(configurationAdmin)).read("file", file, MAX_FILE_SIZE);
        CryptoKeys store = choose(stores, material, file, KeyStores.type(type));
        List<KeyInfo> imported;
        try {
            imported = store.importKeys(material, password == null ? null : password.toCharArray(), trust);
        } catch (CryptoException e) {
            throw new IllegalArgumentException("The " + store.technology().configName() + " store did not import "
                    + file + " (" + e.reason().name().toLowerCase().replace('_', ' ') + "): " + e.getMessage(), e);
        }
        KeyStores.print(imported, System.out);
        System.out.println(KeyGenerateCommand.HELD_MESSAGES_HINT);
        return null;
    }

    /** @return the store named by --type, else the one store that recognises the material */
    static CryptoKeys choose(List<CryptoKeys> stores, byte[] material, String file, Optional<CryptoTechnology> type) {
        if (type.isPresent()) {
            return KeyStores.store(stores, type.get());
        }
        List<CryptoKeys> available = KeyStores.requireAny(stores);
        List<CryptoKeys> recognising = available.stream().filter(store -> store.recognizes(material)).toList();
        if (recognising.isEmpty()) {
            throw new IllegalArgumentException("No key store recognises " + file + " as keys or certificates (stores: "
                    + String.join(", ", available.stream().map(s -> s.technology().configName()).toList())
                    + "); give --type if you know better");
        }
        if (recognising.size() > 1) {
            throw new IllegalArgumentException("Both the pgp and the smime store recognise " + file
                    + "; choose one with --type pgp or --type smime");
        }
        return recognising.get(0);
    }
}
