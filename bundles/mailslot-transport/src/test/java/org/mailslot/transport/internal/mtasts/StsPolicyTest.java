package org.mailslot.transport.internal.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class StsPolicyTest {

    @Test
    void parsesThePolicyOfRfc8461() {
        StsPolicy policy = StsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n");

        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
        assertThat(policy.mx()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void takesBareLineFeedsIgnoresExtensionsAndCase() {
        StsPolicy policy = StsPolicy.parse("version: STSv1\nmode: testing\nmx: MX.Example.COM.\nfuture_field: x\nmax_age: 86400");

        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.TESTING);
        assertThat(policy.mx()).containsExactly("mx.example.com");
    }

    @Test
    void modeNoneNeedsNoMx() {
        assertThat(StsPolicy.parse("version: STSv1\nmode: none\nmax_age: 86400\n").mode()).isEqualTo(StsPolicy.Mode.NONE);
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
        StsPolicy policy = new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("*.example.net", "mail.example.com"),
                Duration.ofDays(1));

        assertThat(policy.permits("mx1.example.net")).isTrue();
        assertThat(policy.permits("MX1.Example.NET.")).isTrue();
        assertThat(policy.permits("mail.example.com")).isTrue();
        assertThat(policy.permits("example.net")).isFalse();
        assertThat(policy.permits("a.b.example.net")).isFalse();
        assertThat(policy.permits("other.example.com")).isFalse();
        assertThat(policy.permits("mail.example.com.evil.test")).isFalse();
    }

    @Test
    void itsTextParsesBackToIt() {
        StsPolicy policy = new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("*.example.net"), Duration.ofDays(1));

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
