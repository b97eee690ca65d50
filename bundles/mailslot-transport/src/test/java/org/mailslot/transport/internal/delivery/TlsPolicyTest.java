package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.TlsPolicies;

/**
 * The levels that need no DNSSEC, against a fake MX host whose certificate names {@code localhost}
 * (trusted by the TLS service): what each demands, and that a host which cannot meet it gets no MAIL.
 */
class TlsPolicyTest extends DeliveryFixture {

    private final TinyDns dns = new TinyDns();

    @AfterEach
    void stopDns() {
        dns.close();
    }

    private DeliveryResult deliver(FakeSmtpServer mx, String domain, String mxHost, String... entries) {
        strategy(mx.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        dns.mx(domain, 10, mxHost).a(mxHost, "127.0.0.1");
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(mx.port()), Set.of(), false,
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        transport.setMx(new MxRouting(new DnsMxResolver(dns.address(), Duration.ofMillis(700)), new RouteSettings(route,
                Optional.empty(), PeerVerification.NONE, Duration.ofSeconds(30), Duration.ofMinutes(10), Optional.empty()),
                2, TlsPolicies.parse("MX delivery: ", "may", entries, () -> d -> Optional.empty())));
        return send(transport.routeFor(MailAddress.parse("bob@" + domain)), "a@example.org", "bob@" + domain);
    }

    private static void deferredByPolicy(DeliveryResult result, FakeSmtpServer mx, String why) {
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(outcome.failure()).contains(FailureCause.TLS_POLICY);
        assertThat(outcome.enhancedCode()).isEqualTo("4.7.5");
        assertThat(outcome.text()).contains(why);
        assertThat(mx.lines()).noneMatch(line -> line.startsWith("MAIL"));
    }

    @Test
    void mayDeliversInClearToAServerWithoutStartTlsAndSaysSo() throws Exception {
        FakeSmtpServer mx = plain().offerStartTls(false).offerAuth(false);

        DeliveryResult result = deliver(mx, "example.test", "mx.example.test");

        assertThat(result.allAccepted()).isTrue();
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow())
                .hasToString("tls-policy=may (tls.security.level=may): no STARTTLS offered: sent in clear");
    }

    @Test
    void encryptNeverSendsInClear() throws Exception {
        FakeSmtpServer mx = plain().offerStartTls(false).offerAuth(false);

        DeliveryResult result = deliver(mx, "example.test", "mx.example.test", "example.test=encrypt");

        deferredByPolicy(result, mx, "STARTTLS");
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow().toString())
                .startsWith("tls-policy=encrypt (tls.policy entry example.test): no MX host of example.test could be used");
    }

    @Test
    void verifyNeedsACertificateThatNamesTheMxHost() throws Exception {
        FakeSmtpServer wrongName = plain().offerStartTls(true).offerAuth(false);
        deferredByPolicy(deliver(wrongName, "example.test", "mx.example.test", "example.test=verify"), wrongName,
                "verification");

        FakeSmtpServer named = plain().offerStartTls(true).offerAuth(false);
        DeliveryResult result = deliver(named, "other.test", "localhost", "other.test=verify");
        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).tls()).hasValueSatisfying(tls -> assertThat(tls.verified()).isTrue());
    }

    @Test
    void secureNeedsACertificateThatNamesTheRecipientDomain() throws Exception {
        FakeSmtpServer elsewhere = plain().offerStartTls(true).offerAuth(false);
        deferredByPolicy(deliver(elsewhere, "example.test", "mx.example.test", ".test=secure"), elsewhere,
                "neither example.test nor a sub-domain");

        FakeSmtpServer named = plain().offerStartTls(true).offerAuth(false);
        DeliveryResult result = deliver(named, "localhost", "mx.localhost", "localhost=secure");
        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).tlsPolicy().orElseThrow().result())
                .isEqualTo("verified: the certificate names localhost or a sub-domain");
    }
}
