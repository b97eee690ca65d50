package org.mailslot.spool.internal;

import java.util.Optional;
import java.util.Set;

/** The user names of a login realm, read when asked (the caller caches). */
interface RealmUsers {

    /**
     * @param realm the realm's name, as {@code jaas:realm-list} shows it
     * @return its user names in lower case, or empty if no such realm is available or its users cannot be listed
     */
    Optional<Set<String>> users(String realm);
}
