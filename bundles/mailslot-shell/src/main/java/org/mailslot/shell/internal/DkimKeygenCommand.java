package org.mailslot.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimKey;
import org.mailslot.api.dkim.DkimKeys;

@Service
@Command(scope = "mailslot", name = "dkim-keygen",
        description = "Generates a DKIM signing key for a domain and selector (PKCS#8 PEM, mode 0600, under"
                + " etc/mailslot/dkim/), configures signing with it (etc/org.mailslot.dkim-DOMAIN-SELECTOR.cfg), which"
                + " starts at once, and prints the DNS TXT record to publish.")
public class DkimKeygenCommand implements Action {

    @Reference(optional = true)
    DkimKeys keys;

    @Argument(index = 0, name = "domain", description = "The signing domain (d=), e.g. example.org", required = true)
    String domain;

    @Argument(index = 1, name = "selector", description = "The selector (s=), e.g. 2026a", required = true)
    String selector;

    @Option(name = "--type", description = "rsa (default, 2048 bits) or ed25519")
    String type;

    @Override
    public Object execute() throws IOException {
        DkimKeys current = DkimShell.keys(keys);
        DkimKey key = current.generate(domain, selector, algorithm(type));
        print(key, System.out);
        return null;
    }

    static DkimAlgorithm algorithm(String type) {
        String value = type == null ? "rsa" : type.strip().toLowerCase(Locale.ROOT);
        return DkimAlgorithm.ofKeyType(value).or(() -> DkimAlgorithm.ofTag(value))
                .orElseThrow(() -> new IllegalArgumentException("--type must be rsa or ed25519, not '" + type + "'"));
    }

    static void print(DkimKey key, PrintStream out) {
        out.println("Key " + key.keyFile() + " (" + key.algorithm().map(DkimAlgorithm::tag).orElse("?")
                + ") signs mail from " + key.domain() + " with selector " + key.selector() + ".");
        out.println("Publish this TXT record:");
        out.println(key.dnsName() + ". IN TXT " + DkimShell.quoted(key.dnsRecord()));
        out.println("then check it with: mailslot:dkim-check " + key.domain() + " " + key.selector());
    }
}
