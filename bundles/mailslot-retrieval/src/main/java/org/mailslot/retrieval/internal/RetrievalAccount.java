package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.util.List;

import org.mailslot.api.retrieval.AccountStatus;

/** One configured account, as {@link AccountsService} collects them. */
public interface RetrievalAccount {

    String name();

    AccountStatus status();

    /** @see org.mailslot.api.retrieval.Accounts#fetch */
    int fetch() throws IOException;

    /** @see org.mailslot.api.retrieval.Accounts#test */
    List<String> test() throws IOException;
}
