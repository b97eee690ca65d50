package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mailslot.api.submission.LocalRecipients.Verdict;

/**
 * Anonymous mail to invented local users (issue 13, Medium 4): refused at RCPT as the spool's
 * {@code LocalRecipients} says, before any data is taken.
 */
class LocalRecipientsTest extends ListenerTestSupport {

    @Test
    void anUnknownLocalUserIsRefusedAtRcptAndAFullMailboxIsTemporarilyRefused() throws Exception {
        spool.localRecipients = recipient -> switch (recipient.localPart()) {
            case "alice", "postmaster" -> Verdict.ACCEPTED;
            case "bob" -> Verdict.MAILBOX_FULL;
            default -> Verdict.UNKNOWN;
        };
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            assertThat(client.command("MAIL FROM:<someone@peer.example>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<nobody1@example.test>"))
                    .isEqualTo("550 5.1.1 <nobody1@example.test>: Recipient address rejected: User unknown in local"
                            + " recipient table");
            assertThat(client.command("RCPT TO:<bob@example.test>"))
                    .isEqualTo("452 4.2.2 <bob@example.test>: Recipient address rejected: Mailbox full");
            assertThat(client.command("RCPT TO:<alice@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: in\r\n\r\nfor you\r\n.")).startsWith("250 2.0.0 Ok");
        }
        assertThat(spool.stored).singleElement().satisfies(stored -> assertThat(stored.envelope().recipients())
                .extracting(r -> r.address().toString()).containsExactly("alice@example.test"));
    }

    @Test
    void everyRecipientUnknownMeansNoData() throws Exception {
        spool.localRecipients = recipient -> Verdict.UNKNOWN;
        Listener listener = start(RELAY);
        try (SmtpClient client = connect(listener)) {
            client.command("EHLO peer.example");
            client.command("MAIL FROM:<someone@peer.example>");
            assertThat(client.command("RCPT TO:<nobody1@example.test>")).startsWith("550 5.1.1");
            assertThat(client.command("DATA")).startsWith("554");
        }
        assertThat(spool.begun).hasValue(0);
    }
}
