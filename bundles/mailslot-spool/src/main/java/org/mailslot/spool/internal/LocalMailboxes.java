package org.mailslot.spool.internal;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.submission.LocalRecipients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's {@link LocalRecipients}: an address in a local domain is known if it is the domain's
 * {@code postmaster} or {@code local.recipients} names it, and has room while its Maildir is below
 * {@code mailbox.size.limit}. Realm users are read again at most once a {@code refresh} when an
 * address is not among them (a user just added to {@code etc/users.properties} is known within
 * it), so a flood of invented names costs one read a second, not one per RCPT.
 */
final class LocalMailboxes implements LocalRecipients {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMailboxes.class);
    static final String POSTMASTER = "postmaster";
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private record Users(Set<String> names, long readAt) {
    }

    private final Set<String> localDomains;
    private final RecipientRules rules;
    private final long sizeLimit;
    private final Supplier<RealmUsers> realmUsers;
    private final Maildir maildir;
    private final MailboxSizes sizes;
    private final Map<String, Users> users = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param sizeLimit octets a mailbox may hold; 0 for no limit
     * @param realmUsers the realm users' source, or a supplier of null while none is available
     */
    LocalMailboxes(Set<String> localDomains, RecipientRules rules, long sizeLimit, Supplier<RealmUsers> realmUsers,
            Maildir maildir, MailboxSizes sizes) {
        this.localDomains = localDomains;
        this.rules = rules;
        this.sizeLimit = sizeLimit;
        this.realmUsers = realmUsers;
        this.maildir = maildir;
        this.sizes = sizes;
    }

    @Override
    public Verdict check(MailAddress recipient) {
        if (!localDomains.contains(recipient.normalizedDomain())) {
            return Verdict.ACCEPTED;
        }
        if (!known(recipient)) {
            return Verdict.UNKNOWN;
        }
        if (sizeLimit > 0 && sizes.cached(maildir.mailbox(recipient)).orElse(0) >= sizeLimit) {
            return Verdict.MAILBOX_FULL;
        }
        return Verdict.ACCEPTED;
    }

    /** @return whether the local address has a mailbox, whatever its size */
    boolean known(MailAddress recipient) {
        String local = recipient.localPart().toLowerCase(Locale.ROOT);
        if (local.equals(POSTMASTER) || rules.any()) {
            return true;
        }
        if (rules.listed(local + "@" + recipient.normalizedDomain())) {
            return true;
        }
        for (String realm : rules.realms()) {
            if (realmHas(realm, local)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the room left in the recipient's mailbox, measured now if the last measurement is
     *     stale; {@link Long#MAX_VALUE} without a limit
     */
    long roomLeft(MailAddress recipient) throws IOException {
        if (sizeLimit <= 0) {
            return Long.MAX_VALUE;
        }
        return sizeLimit - sizes.current(maildir.mailbox(recipient));
    }

    long sizeLimit() {
        return sizeLimit;
    }

    /** A message of {@code octets} was delivered to the recipient. */
    void delivered(MailAddress recipient, long octets) {
        sizes.added(maildir.mailbox(recipient), octets);
    }

    private boolean realmHas(String realm, String user) {
        Users known = users.get(realm);
        if (known != null && known.names().contains(user)) {
            return true;
        }
        long now = System.nanoTime();
        if (known != null && now - known.readAt() < REFRESH_NANOS) {
            return false;
        }
        RealmUsers source = realmUsers.get();
        Optional<Set<String>> names = source == null ? Optional.empty() : source.users(realm);
        if (names.isEmpty() && warned.add(realm)) {
            LOG.warn("{}: the JAAS realm {} is not available; its users are refused until it is", RecipientRules.PROPERTY,
                    realm);
        }
        if (names.isPresent()) {
            warned.remove(realm);
        }
        Users read = new Users(names.orElse(Set.of()), now);
        users.put(realm, read);
        return read.names().contains(user);
    }
}
