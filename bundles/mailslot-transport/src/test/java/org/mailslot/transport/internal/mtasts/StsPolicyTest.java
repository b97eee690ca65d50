package org.mailslot.transport.internal.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy.Mode;

class StsPolicyTest {

    @Test
    void parsesThePolicyOfRfc8461() {
        StsPolicy policy = StsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n");

        assertThat(policy.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(policy.mx()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void takesBareLineFeedsIgnoresExtensionsAndCase() {
        StsPolicy policy = StsPolicy.parse("version: STSv1\nmode: testing\nmx: MX.Example.COM.\nfuture_field: x\nmax_age: 86400");

        assertThat(policy.mode()).isEqualTo(Mode.TESTING);
        assertThat(policy.mx()).containsExactly("mx.example.com");
    }

    @Test
    void modeNoneNeedsNoMx() {
        assertThat(StsPolicy.parse("version: STSv1\nmode: none\nmax_age: 86400\n").mode()).isEqualTo(Mode.NONE);
    }

    @Test
    void refusesWhatIsNotAPolicy() {
        assertThatThrownBy(() -> StsPolicy.parse("mode: enforce\nmx: a.example\nmax_age: 1\n"))
                .hasMessage("no version field");
        assertThatThrownBy(() -> StsPolicy.parse("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n"))
                .hasMessage("version STSv2 is not STSv1");
        assertThatThrownBy(() -> StsPolicy.parse("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n"))
                .hasMessage("mode strict is none of enforce, testing, none");
        assertThatThrownBy(() -> StsPolicy.parse("version: STSv1\nmode: enforce\nmax_age: 1\n"))
                .hasMessage("a policy in mode enforce needs at least one mx");
        assertThatThrownBy(() -> StsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n"))
                .hasMessage("max_age must be 0 to 31557600 seconds, not 31557601");
        assertThatThrownBy(() -> StsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n"))
                .hasMessage("max_age -1 is not 1 to 10 digits");
        assertThatThrownBy(() -> StsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.*.example\nmax_age: 1\n"))
                .hasMessage("mx a.*.example is not a host name or *. and a host name");
        assertThatThrownBy(() -> StsPolicy.parse("<html>\n")).hasMessage("line 1 is not 'key: value'");
    }

    @Test
    void aWildcardStandsForTheLeftmostLabelOnly() {
        MtaStsPolicy policy = StsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.net\nmx: mail.example.com\n"
                + "max_age: 86400\n").withId("one");

        assertThat(policy.names("mx1.example.net")).isTrue();
        assertThat(policy.names("MX1.Example.NET.")).isTrue();
        assertThat(policy.names("mail.example.com")).isTrue();
        assertThat(policy.names("example.net")).isFalse();
        assertThat(policy.names("a.b.example.net")).isFalse();
        assertThat(policy.names("other.example.com")).isFalse();
        assertThat(policy.names("mail.example.com.evil.test")).isFalse();
    }

    @Test
    void itsTextParsesBackToIt() {
        StsPolicy policy = new StsPolicy(Mode.ENFORCE, List.of("*.example.net"), Duration.ofDays(1));

        assertThat(StsPolicy.parse(policy.text())).isEqualTo(policy);
    }

    @Test
    void theTxtRecordNeedsOneStsv1WithAnId() {
        assertThat(StsRecord.parse(List.of("v=STSv1; id=20160831085700Z;")).id()).isEqualTo("20160831085700Z");
        assertThat(StsRecord.parse(List.of("v=spf1 -all", "v=STSv1;id=abc; ext=1")).id()).isEqualTo("abc");
        assertThatThrownBy(() -> StsRecord.parse(List.of("v=spf1 -all"))).hasMessage("no TXT record starts with v=STSv1");
        assertThatThrownBy(() -> StsRecord.parse(List.of("v=STSv1; id=a;", "v=STSv1; id=b;")))
                .hasMessage("2 TXT records start with v=STSv1 (one is allowed)");
        assertThatThrownBy(() -> StsRecord.parse(List.of("v=STSv1; foo=bar"))).hasMessage("the v=STSv1 record has no id");
        assertThatThrownBy(() -> StsRecord.parse(List.of("v=STSv1; id=not-alnum"))).hasMessageContaining("not 1 to 32");
    }
}
