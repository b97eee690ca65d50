package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.submission.LocalRecipients.Verdict;

/** local.recipients and mailbox.size.limit as the listener's RCPT and the spool's delivery see them. */
class LocalMailboxesTest {

    @TempDir
    Path dir;

    private final Set<String> realmUsers = new CopyOnWriteArraySet<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final RealmUsers karaf = realm -> {
        reads.incrementAndGet();
        return realm.equals("karaf") ? Optional.of(Set.copyOf(realmUsers)) : Optional.empty();
    };

    private LocalMailboxes mailboxes(String rules, long limit, RealmUsers users) {
        return new LocalMailboxes(Set.of("localhost", "example.org"), RecipientRules.parse(List.of(rules.split(","))),
                limit, () -> users, new Maildir(dir, SpoolIo.SYSTEM, Clock.systemUTC()), new MailboxSizes(Duration.ofMinutes(1)));
    }

    private static MailAddress address(String address) {
        return MailAddress.parse(address);
    }

    @Test
    void theRealmsUsersAndPostmasterAreKnownAndInventedNamesAreNot() {
        realmUsers.add("alice");
        LocalMailboxes mailboxes = mailboxes("jaas:karaf", 0, karaf);

        assertThat(mailboxes.check(address("alice@localhost"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("ALICE@example.org"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("postmaster@localhost"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("PostMaster@example.org"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("nobody1@localhost"))).isEqualTo(Verdict.UNKNOWN);
        assertThat(mailboxes.check(address("anyone@example.net"))).as("not a local domain").isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void aFloodOfInventedNamesReadsTheRealmOnceAndAUserAddedIsKnownAtTheNextRead() {
        realmUsers.add("alice");
        LocalMailboxes mailboxes = mailboxes("jaas:karaf", 0, karaf);
        for (int i = 0; i < 100; i++) {
            assertThat(mailboxes.check(address("nobody" + i + "@localhost"))).isEqualTo(Verdict.UNKNOWN);
        }
        assertThat(reads).hasValue(1);
        assertThat(mailboxes.check(address("alice@localhost"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(reads).hasValue(1);
    }

    @Test
    void withoutTheRealmEveryUserOfItIsRefusedButPostmaster() {
        LocalMailboxes mailboxes = mailboxes("jaas:karaf", 0, null);

        assertThat(mailboxes.check(address("alice@localhost"))).isEqualTo(Verdict.UNKNOWN);
        assertThat(mailboxes.check(address("postmaster@localhost"))).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void addressesPatternsLocalPartsAndAny() {
        LocalMailboxes mailboxes = mailboxes("bob@localhost, *@example.org, ops-*@localhost, carol", 0, null);

        assertThat(mailboxes.check(address("Bob@LOCALHOST"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("whoever@example.org"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("ops-night@localhost"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("carol@localhost"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("bob@other.localhost"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(mailboxes.check(address("ops@localhost"))).isEqualTo(Verdict.UNKNOWN);
        assertThat(mailboxes("*", 0, null).check(address("nobody1@localhost"))).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void anEntryThatIsNoneOfTheFormsIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> RecipientRules.parse(List.of("bob@@localhost")))
                .hasMessage("local.recipients: bob@@localhost is not an address, a pattern such as *@example.org, a local"
                        + " part, jaas:REALM or *");
        assertThatThrownBy(() -> RecipientRules.parse(List.of("jaas:")))
                .hasMessage("local.recipients: jaas: names no realm (jaas:karaf)");
    }

    @Test
    void aMailboxAtItsLimitIsFullAtRcptOnceADeliveryHasMeasuredIt() throws Exception {
        LocalMailboxes mailboxes = mailboxes("*", 200, null);
        MailAddress bob = address("bob@localhost");
        Maildir maildir = new Maildir(dir, SpoolIo.SYSTEM, Clock.systemUTC());
        assertThat(mailboxes.check(bob)).isEqualTo(Verdict.ACCEPTED);

        long room = mailboxes.roomLeft(bob);
        Maildir.Delivered delivered = maildir.deliver(bob, Optional.empty(), MessageSource.of(new byte[60]), room);
        mailboxes.delivered(bob, delivered.octets());
        assertThat(mailboxes.check(bob)).isEqualTo(Verdict.ACCEPTED);

        assertThatThrownBy(() -> maildir.deliver(bob, Optional.empty(), MessageSource.of(new byte[100]),
                mailboxes.roomLeft(bob))).isInstanceOf(Maildir.MailboxFull.class);
        assertThat(Files.list(dir.resolve("bob@localhost/tmp"))).isEmpty();
        Files.write(dir.resolve("bob@localhost/cur/read-by-a-client"), new byte[100]);
        mailboxes.delivered(bob, 100);
        assertThat(mailboxes.check(bob)).isEqualTo(Verdict.MAILBOX_FULL);
    }
}
