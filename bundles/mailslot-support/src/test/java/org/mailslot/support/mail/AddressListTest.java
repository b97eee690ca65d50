package org.mailslot.support.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;

class AddressListTest {

    private static List<String> parsed(String value) {
        return AddressList.parse(value).stream().map(MailAddress::toString).toList();
    }

    @Test
    void readsTheFormsMailersWrite() {
        assertThat(parsed("alice@example.org")).containsExactly("alice@example.org");
        assertThat(parsed("Alice <alice@example.org>")).containsExactly("alice@example.org");
        assertThat(parsed("\"Doe, Jane\" <jane@example.org>")).containsExactly("jane@example.org");
        assertThat(parsed("alice@example.org (Alice, at work)")).containsExactly("alice@example.org");
        assertThat(parsed("=?UTF-8?B?QWxpY2U=?= <alice@example.org>")).containsExactly("alice@example.org");
        assertThat(parsed("J. Doe <\"j doe\"@[192.0.2.1]>")).containsExactly("\"j doe\"@[192.0.2.1]");
        assertThat(parsed("Jörg <jörg@bücher.example>")).containsExactly("jörg@bücher.example");
        assertThat(parsed("Alice\r\n <alice@example.org>")).containsExactly("alice@example.org");
    }

    @Test
    void readsEveryMailboxOfAListAndOfGroups() {
        assertThat(parsed("Alice <a@x.example>, Bob <b@y.example>")).containsExactly("a@x.example", "b@y.example");
        assertThat(parsed("\"<c@z.example>\" <a@x.example>")).containsExactly("a@x.example");
        assertThat(parsed("team: a@x.example, Bob <b@y.example>;, c@z.example"))
                .containsExactly("a@x.example", "b@y.example", "c@z.example");
        assertThat(parsed("undisclosed-recipients:;")).isEmpty();
    }

    @Test
    void refusesWhatIsNotAnAddressList() {
        assertThatIllegalArgumentException().isThrownBy(() -> AddressList.parse("Alice <alice@example.org"))
                .withMessageContaining("'>' expected");
        assertThatIllegalArgumentException().isThrownBy(() -> AddressList.parse("just a name"))
                .withMessageContaining("no address");
        assertThatIllegalArgumentException().isThrownBy(() -> AddressList.parse("john doe@example.org"));
        assertThatIllegalArgumentException().isThrownBy(() -> AddressList.parse("<@relay.example:a@example.org>"))
                .withMessageContaining("source route");
        assertThatIllegalArgumentException().isThrownBy(() -> AddressList.parse("a@example.org (open"))
                .withMessageContaining("comment");
        assertThatIllegalArgumentException().isThrownBy(() -> AddressList.parse("<a..b@example.org>"))
                .withMessageContaining("double dot");
    }

    @Test
    void aSingleMailboxIsOneFieldWithOneMailbox() {
        assertThat(AddressList.singleMailbox(List.of("Alice <a@x.example>"))).contains(MailAddress.parse("a@x.example"));
        assertThat(AddressList.singleMailbox(List.of("Alice <a@x.example>, Bob <b@y.example>"))).isEmpty();
        assertThat(AddressList.singleMailbox(List.of("a@x.example", "b@y.example"))).isEmpty();
        assertThat(AddressList.singleMailbox(List.of())).isEmpty();
        assertThat(AddressList.singleMailbox(List.of("team:;"))).isEmpty();
        assertThat(AddressList.singleMailbox(List.of("not an address"))).isEmpty();
        assertThat(AddressList.whyNotSingle(List.of("Alice <a@x.example>, Bob <b@y.example>")))
                .contains("the From field holds 2 mailboxes, not one");
        assertThat(AddressList.whyNotSingle(List.of("a@x.example", "b@y.example"))).contains("the message has 2 From fields");
        assertThat(AddressList.whyNotSingle(List.of("a@x.example"))).isEmpty();
    }
}
