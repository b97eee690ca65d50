package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;

class PathArgumentTest {

    @Test
    void splitsThePathFromItsParameters() throws Exception {
        PathArgument parsed = PathArgument.parse("from:<\"john > doe\"@example.org> size=10 SMTPUTF8", "FROM");
        assertThat(parsed.path()).isEqualTo("\"john > doe\"@example.org");
        assertThat(parsed.parameters()).isEqualTo(Map.of("SIZE", "10", "SMTPUTF8", ""));
        assertThat(PathArgument.parse("FROM:<>", "FROM").path()).isEmpty();
        assertThat(PathArgument.parse("TO: <@a.example,@b.example:c@d.example>", "TO").path()).isEqualTo("c@d.example");
    }

    @Test
    void refusesMalformedArguments() {
        assertThatThrownBy(() -> PathArgument.parse("FROM:a@b", "FROM")).hasMessageContaining("angle brackets");
        assertThatThrownBy(() -> PathArgument.parse("FROM:<a@b", "FROM")).hasMessageContaining("closing");
        assertThatThrownBy(() -> PathArgument.parse("TO:<a@b>", "FROM")).hasMessageContaining("MAIL FROM");
        assertThatThrownBy(() -> PathArgument.parse("FROM:<a@b> SIZE=1 SIZE=2", "FROM")).hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> PathArgument.parse("FROM:<a@b>SIZE=1", "FROM")).hasMessageContaining("space");
    }

    @Test
    void bindsSendersToLoginsInTheSenderDomainsOnly() {
        MailAddress alice = MailAddress.parse("alice@example.org");
        MailAddress aliceElsewhere = MailAddress.parse("alice@anybank.example");
        Set<String> domains = Set.of("example.org");
        assertThat(SenderBinding.fromConfigName("none").permits("bob", alice, domains)).isTrue();
        assertThat(SenderBinding.NONE.owns("alice@example.org", alice, domains)).as("none vouches for nobody").isFalse();
        assertThat(SenderBinding.LOGIN_MUST_MATCH_LOCAL_PART.permits("alice", alice, domains)).isTrue();
        assertThat(SenderBinding.LOGIN_MUST_MATCH_LOCAL_PART.permits("alice", aliceElsewhere, domains)).isFalse();
        assertThat(SenderBinding.LOGIN_MUST_MATCH_LOCAL_PART.permits("alice@anybank.example", aliceElsewhere, domains)).isTrue();
        assertThat(SenderBinding.LOGIN_MUST_MATCH_LOCAL_PART.permits("alice@EXAMPLE.org", alice, domains)).isTrue();
        assertThat(SenderBinding.LOGIN_MUST_MATCH_LOCAL_PART.permits("bob", alice, domains)).isFalse();
        assertThat(SenderBinding.LOGIN_MUST_MATCH_LOCAL_PART.permits("Alice", alice, domains)).isFalse();
        assertThat(SenderBinding.EXACT.permits("alice", alice, domains)).isFalse();
        assertThat(SenderBinding.EXACT.permits("alice@example.org", alice, domains)).isTrue();
        assertThat(SenderBinding.EXACT.permits("alice@example.org", null, domains)).isFalse();
        assertThatThrownBy(() -> SenderBinding.fromConfigName("loose")).hasMessageContaining("sender.binding");
    }

    @Test
    void decodesXtextAndRefusesWhatIsNot() {
        assertThat(Xtext.decode("QQ+2B314+3D159")).isEqualTo("QQ+314=159");
        assertThat(Xtext.decode("john+20doe")).isEqualTo("john doe");
        assertThat(Xtext.decode("plain")).isEqualTo("plain");
        assertThatThrownBy(() -> Xtext.decode("a=b")).hasMessageContaining("malformed xtext");
        assertThatThrownBy(() -> Xtext.decode("a+2")).hasMessageContaining("two hexadecimal digits");
        assertThatThrownBy(() -> Xtext.decode("a+ZZ")).hasMessageContaining("two hexadecimal digits");
        assertThatThrownBy(() -> Xtext.decode("a+\u0661\u0662")).hasMessageContaining("two hexadecimal digits");
        assertThatThrownBy(() -> Xtext.decode("a+0Db")).hasMessageContaining("outside printable US-ASCII");
        assertThatThrownBy(() -> Xtext.decode("caf\u00e9")).hasMessageContaining("malformed xtext");
    }
}
