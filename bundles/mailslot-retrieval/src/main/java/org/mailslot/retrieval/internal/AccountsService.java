package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.retrieval.Accounts;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The {@link Accounts} service: every active account component, by name. */
@Component(service = Accounts.class)
public final class AccountsService implements Accounts {

    private final Map<String, RetrievalAccount> accounts = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addAccount(RetrievalAccount account) {
        accounts.put(account.name(), account);
    }

    public void removeAccount(RetrievalAccount account) {
        accounts.remove(account.name(), account);
    }

    @Override
    public List<AccountStatus> list() {
        return accounts.values().stream().map(RetrievalAccount::status)
                .sorted(Comparator.comparing(AccountStatus::name)).toList();
    }

    @Override
    public Optional<AccountStatus> find(String name) {
        return Optional.ofNullable(accounts.get(name)).map(RetrievalAccount::status);
    }

    @Override
    public int fetch(String name) throws IOException {
        return account(name).fetch();
    }

    @Override
    public List<String> test(String name) throws IOException {
        return account(name).test();
    }

    private RetrievalAccount account(String name) {
        RetrievalAccount account = accounts.get(name);
        if (account == null) {
            throw new IllegalArgumentException("No account " + name + " is configured (or it failed to start; see"
                    + " mailslot:status). Accounts: " + accounts.keySet().stream().sorted().toList());
        }
        return account;
    }
}
