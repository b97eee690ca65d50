package org.mailslot.shell.internal;

import java.io.IOException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.retrieval.Accounts;

@Service
@Command(scope = "mailslot", name = "account-test",
        description = "Connects to a retrieval account's server on a connection of its own: TLS as the port's strategy"
                + " demands, login, and the folders with their message counts. Retrieves nothing.")
public class AccountTestCommand implements Action {

    @Reference(optional = true)
    Accounts accounts;

    @Argument(index = 0, name = "name", description = "The account's name, as mailslot:accounts shows it", required = true)
    @Completion(AccountNameCompleter.class)
    String name;

    @Override
    public Object execute() throws IOException {
        Services.require(accounts, Accounts.class, "mailslot-retrieval").test(name).forEach(System.out::println);
        return null;
    }
}
