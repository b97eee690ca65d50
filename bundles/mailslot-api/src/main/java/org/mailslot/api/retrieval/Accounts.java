package org.mailslot.api.retrieval;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The configured retrieval accounts, for the shell and for management. Thread-safe. */
@ProviderType
public interface Accounts {

    /** @return every configured account, ordered by name */
    List<AccountStatus> list();

    /** @return the account of that name, if configured */
    Optional<AccountStatus> find(String name);

    /**
     * Synchronises an account now and waits for it.
     *
     * @param name the account
     * @return the number of new messages stored
     * @throws IllegalArgumentException if no such account is configured
     * @throws IOException if the synchronisation failed; the message says why
     */
    int fetch(String name) throws IOException;

    /**
     * Connects, negotiates TLS, logs in and lists folders, without retrieving anything.
     *
     * @param name the account
     * @return lines describing each step, for the shell
     * @throws IllegalArgumentException if no such account is configured
     * @throws IOException if a step failed; the message says which and why
     */
    List<String> test(String name) throws IOException;
}
