package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.dkim.DkimKeyCheck;
import org.mailslot.api.dkim.DkimKeys;

@Service
@Command(scope = "mailslot", name = "dkim-check",
        description = "Looks up the DKIM key record published at SELECTOR._domainkey.DOMAIN (through the resolver of"
                + " org.mailslot.mx) and compares it with the configured key.")
public class DkimCheckCommand implements Action {

    @Reference(optional = true)
    DkimKeys keys;

    @Argument(index = 0, name = "domain", description = "The signing domain", required = true)
    String domain;

    @Argument(index = 1, name = "selector", description = "The selector", required = true)
    String selector;

    @Override
    public Object execute() {
        DkimKeyCheck check = DkimShell.keys(keys).check(domain, selector);
        System.out.println(check.key().dnsName() + ": " + check.outcome().name().toLowerCase().replace('_', ' ')
                + " - " + check.detail());
        if (!check.published().isEmpty()) {
            System.out.println("published: " + check.published());
        }
        if (check.outcome() != DkimKeyCheck.Outcome.MATCHES) {
            throw new IllegalStateException("the DKIM record of " + check.key().dnsName() + " does not match the key ("
                    + check.outcome().name().toLowerCase().replace('_', ' ') + ")");
        }
        return null;
    }
}
