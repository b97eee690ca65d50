package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tlsrpt.TlsPolicyType;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.tlsrpt.TlsSessionResult;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.Route;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxHost;
import org.mailslot.transport.internal.delivery.mx.MxLookupException;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicies;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;
import org.mailslot.transport.internal.delivery.policy.TlsPolicies;
import org.xbill.DNS.Type;

import static org.assertj.core.groups.Tuple.tuple;

/** MX lookup against a tiny DNS server on a loopback UDP port, and delivery over the MX route. */
class MxTest extends DeliveryFixture {

    private final TinyDns dns = new TinyDns();

    @AfterEach
    void stopDns() {
        dns.close();
    }

    @Test
    void mxHostsComeByPreferenceWithTheirAddresses() throws Exception {
        dns.mx("example.test", 20, "backup.example.test").mx("example.test", 10, "mx.example.test")
                .a("mx.example.test", "127.0.0.10").a("backup.example.test", "127.0.0.20");

        List<MxHost> hosts = resolver().resolve("example.test");

        assertThat(hosts).extracting(MxHost::name, MxHost::preference, MxHost::addresses).containsExactly(
                org.assertj.core.groups.Tuple.tuple("mx.example.test", 10, List.of("127.0.0.10")),
                org.assertj.core.groups.Tuple.tuple("backup.example.test", 20, List.of("127.0.0.20")));
    }

    @Test
    void withoutMxTheDomainItselfIsTheHost() throws Exception {
        dns.a("plain.test", "127.0.0.30");

        assertThat(resolver().resolve("plain.test")).extracting(MxHost::name, MxHost::addresses)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("plain.test", List.of("127.0.0.30")));
    }

    @Test
    void nullMxAndMissingDomainsArePermanent() {
        dns.mx("nomail.test", 0, ".");

        assertThatThrownBy(() -> resolver().resolve("nomail.test")).isInstanceOfSatisfying(MxLookupException.class,
                e -> assertThat(e.permanent()).isTrue());
        assertThatThrownBy(() -> resolver().resolve("missing.test")).isInstanceOfSatisfying(MxLookupException.class,
                e -> assertThat(e.enhancedCode()).isEqualTo("5.1.2"));
    }

    @Test
    void theMxRouteDeliversToTheMxHostAndIsTheFallbackRoute() throws Exception {
        FakeSmtpServer mx = plain().offerStartTls(true).offerAuth(false);
        strategy(mx.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
        transport.setMx(mxRouting(List.of(mx.port())));

        Route route = transport.routeFor(MailAddress.parse("bob@example.test"));
        DeliveryResult result = send(route, "a@example.org", "bob@example.test", "eve@nowhere.test");

        assertThat(route.kind()).isEqualTo(Route.Kind.MX);
        assertThat(result.recipients().get(0).status()).isEqualTo(DeliveryStatus.ACCEPTED);
        assertThat(result.recipients().get(0).host()).isEqualTo("mx.example.test");
        assertThat(result.recipients().get(0).tls()).hasValueSatisfying(tls -> assertThat(tls.verified()).isFalse());
        assertThat(result.recipients().get(1).status()).isEqualTo(DeliveryStatus.PERMANENT_FAILURE);
        assertThat(mx.lines()).contains("RCPT TO:<bob@example.test>").noneMatch(line -> line.contains("eve@"));
    }

    @Test
    void aTlsReportCountsTheSessionsNotTheMessagesAPooledConnectionCarried() throws Exception {
        FakeSmtpServer mx = plain().offerStartTls(true).offerAuth(false);
        strategy(mx.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
        transport.setMx(mxRouting(List.of(mx.port())));
        List<TlsSessionResult> sessions = new CopyOnWriteArrayList<>();
        transport.setTlsResults(sessions::add);

        Route route = transport.routeFor(MailAddress.parse("bob@example.test"));
        for (int i = 0; i < 3; i++) {
            assertThat(send(route, "a@example.org", "bob@example.test").allAccepted()).isTrue();
        }

        assertThat(mx.connections()).isEqualTo(1);
        assertThat(sessions).singleElement().satisfies(session -> {
            assertThat(session.successful()).isTrue();
            assertThat(session.policyType()).isEqualTo(TlsPolicyType.NO_POLICY_FOUND);
            assertThat(session.mxHost()).isEqualTo("mx.example.test");
            assertThat(session.sendingIp()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void eachSessionToADomainWhosePolicyCouldNotBeFetchedIsReportedAsFailedForIt() throws Exception {
        FakeSmtpServer mx = plain().offerStartTls(true).offerAuth(false);
        strategy(mx.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
        MtaStsPolicies unfetchable = new MtaStsPolicies() {
            @Override
            public Optional<MtaStsPolicy> policyOf(String domain) {
                return Optional.empty();
            }

            @Override
            public Optional<TlsResultType> fetchFailure(String domain) {
                return Optional.of(TlsResultType.STS_WEBPKI_INVALID);
            }
        };
        // Pool size 0: each message opens a session of its own.
        transport.setMx(mxRouting(List.of(mx.port()), 0,
                new TlsPolicies(TlsPolicyLevel.MAY, Map.of(), () -> unfetchable)));
        List<TlsSessionResult> sessions = new CopyOnWriteArrayList<>();
        transport.setTlsResults(sessions::add);

        Route route = transport.routeFor(MailAddress.parse("bob@example.test"));
        for (int i = 0; i < 2; i++) {
            assertThat(send(route, "a@example.org", "bob@example.test").allAccepted()).isTrue();
        }

        assertThat(mx.connections()).isEqualTo(2);
        assertThat(sessions).hasSize(2).allSatisfy(session -> {
            assertThat(session.policyType()).isEqualTo(TlsPolicyType.STS);
            assertThat(session.failure()).contains(TlsResultType.STS_WEBPKI_INVALID);
            assertThat(session.mxHost()).isEqualTo("mx.example.test");
            assertThat(session.receivingIp()).isEqualTo("127.0.0.1");
            assertThat(session.sendingIp()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void underAnMtaStsTestingPolicyAFailedHandshakeIsReportedAndTheNextPortDelivers() throws Exception {
        FakeSmtpServer old = tls12OnlyServer();
        FakeSmtpServer modern = plain().offerStartTls(true).offerAuth(false);
        SmtpMailTransport tls13Client = tls13OnlyClient(old.port(), modern.port());
        dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
        MtaStsPolicy testing = new MtaStsPolicy("1", MtaStsPolicy.Mode.TESTING, List.of("mx.example.test"),
                Duration.ofDays(1));
        tls13Client.setMx(mxRouting(List.of(old.port(), modern.port()), 2,
                new TlsPolicies(TlsPolicyLevel.MAY, Map.of(), () -> domain -> Optional.of(testing))));
        List<TlsSessionResult> sessions = new CopyOnWriteArrayList<>();
        tls13Client.setTlsResults(sessions::add);

        Route route = tls13Client.routeFor(MailAddress.parse("bob@example.test"));
        DeliveryResult result = tls13Client.deliver(Envelope.builder().from("a@example.org").to("bob@example.test")
                .build(), MessageSource.of(MESSAGE), route);

        // Delivery as under may: the port whose handshake failed is skipped, the next one takes the message.
        assertThat(result.allAccepted()).isTrue();
        assertThat(result.attempts()).extracting(Attempt::result)
                .containsExactly(Attempt.Result.TLS_NOT_OFFERED, Attempt.Result.DELIVERED);
        assertThat(modern.messages()).containsExactly(MESSAGE);
        assertThat(sessions).first().satisfies(session -> {
            assertThat(session.policyType()).isEqualTo(TlsPolicyType.STS);
            assertThat(session.failure()).contains(TlsResultType.VALIDATION_FAILURE);
            assertThat(session.reason()).isEqualTo(TlsSessionReports.HANDSHAKE_FAILED);
            assertThat(session.mxHost()).isEqualTo("mx.example.test");
            assertThat(session.receivingIp()).isEqualTo("127.0.0.1");
            assertThat(session.sendingIp()).isEqualTo("127.0.0.1");
        });
        assertThat(sessions).hasSize(2);
        assertThat(sessions.get(1).reason()).isNotEqualTo(TlsSessionReports.HANDSHAKE_FAILED);
    }

    @Test
    void underAPolicyThatRequiresTlsAFailedHandshakeDefersAndIsReportedAsOneNotAMissingStarttls() throws Exception {
        FakeSmtpServer old = tls12OnlyServer();
        SmtpMailTransport tls13Client = tls13OnlyClient(old.port());
        dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
        tls13Client.setMx(mxRouting(List.of(old.port()), 2,
                new TlsPolicies(TlsPolicyLevel.ENCRYPT, Map.of(), () -> domain -> Optional.empty())));
        List<TlsSessionResult> sessions = new CopyOnWriteArrayList<>();
        tls13Client.setTlsResults(sessions::add);

        Route route = tls13Client.routeFor(MailAddress.parse("bob@example.test"));
        DeliveryResult result = tls13Client.deliver(Envelope.builder().from("a@example.org").to("bob@example.test")
                .build(), MessageSource.of(MESSAGE), route);

        assertThat(result.allAccepted()).isFalse();
        assertThat(old.messages()).isEmpty();
        assertThat(sessions).singleElement().satisfies(session -> {
            assertThat(session.failure()).contains(TlsResultType.VALIDATION_FAILURE);
            assertThat(session.reason()).isEqualTo(TlsSessionReports.HANDSHAKE_FAILED);
            assertThat(session.sendingIp()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void anExactDomainRelayWinsOverTheDefaultRelayWhichWinsOverMx() throws Exception {
        relay("default", List.of(25), Optional.empty());
        Route special = new Route("special", Route.Kind.RELAY, "127.0.0.1", List.of(25), Set.of("special.test"), false,
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        transport.addRelay(new RelayRoute(new RouteSettings(special, Optional.empty(), PeerVerification.FULL,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty()), 1));

        assertThat(transport.routeFor(MailAddress.parse("x@Special.test")).name()).isEqualTo("special");
        assertThat(transport.routeFor(MailAddress.parse("x@other.test")).name()).isEqualTo("default");
        transport.removeRelay(transport.relay("default"));
        assertThat(transport.routeFor(MailAddress.parse("x@other.test")).kind()).isEqualTo(Route.Kind.MX);
    }

    @Test
    void withoutMxAnAddressLookupWithoutAnswerIsTemporaryNotABounce() {
        dns.fail("flaky.test", Type.A, TinyDns.Failure.SERVFAIL).fail("slow.test", Type.AAAA, TinyDns.Failure.SILENT);

        assertThatThrownBy(() -> resolver().resolve("flaky.test")).isInstanceOfSatisfying(MxLookupException.class, e -> {
            assertThat(e.permanent()).isFalse();
            assertThat(e.enhancedCode()).isEqualTo("4.4.3");
            assertThat(e.getMessage()).contains("flaky.test has no MX record").contains("A lookup for flaky.test failed");
        });
        assertThatThrownBy(() -> resolver().resolve("slow.test")).isInstanceOfSatisfying(MxLookupException.class, e -> {
            assertThat(e.permanent()).isFalse();
            assertThat(e.enhancedCode()).isEqualTo("4.4.3");
            assertThat(e.getMessage()).contains("AAAA lookup for slow.test failed");
        });
    }

    @Test
    void anMxQueryWithoutAnswerIsTemporary() {
        dns.fail("servfail.test", Type.MX, TinyDns.Failure.SERVFAIL).fail("silent.test", Type.MX, TinyDns.Failure.SILENT);

        for (String domain : List.of("servfail.test", "silent.test")) {
            assertThatThrownBy(() -> resolver().resolve(domain)).isInstanceOfSatisfying(MxLookupException.class, e -> {
                assertThat(e.permanent()).isFalse();
                assertThat(e.enhancedCode()).isEqualTo("4.4.3");
                assertThat(e.getMessage()).contains("MX lookup for " + domain + " failed");
            });
        }
    }

    @Test
    void oneAddressFamilyWithoutAnswerDoesNotHoldBackTheOther() throws Exception {
        dns.a("half.test", "127.0.0.31").fail("half.test", Type.AAAA, TinyDns.Failure.SERVFAIL)
                .mx("mixed.test", 10, "down.mixed.test").mx("mixed.test", 20, "up.mixed.test")
                .fail("down.mixed.test", Type.A, TinyDns.Failure.SERVFAIL)
                .fail("down.mixed.test", Type.AAAA, TinyDns.Failure.SERVFAIL).a("up.mixed.test", "127.0.0.32");

        assertThat(resolver().resolve("half.test")).extracting(MxHost::addresses).containsExactly(List.of("127.0.0.31"));
        assertThat(resolver().resolve("mixed.test")).extracting(MxHost::name).containsExactly("up.mixed.test");
    }

    @Test
    void mxHostsWhoseAddressLookupsFailAreATemporaryFailureNamingThem() {
        dns.mx("broken.test", 10, "mx.broken.test").fail("mx.broken.test", Type.A, TinyDns.Failure.SERVFAIL);

        assertThatThrownBy(() -> resolver().resolve("broken.test")).isInstanceOfSatisfying(MxLookupException.class, e -> {
            assertThat(e.permanent()).isFalse();
            assertThat(e.getMessage()).contains("no MX host of broken.test has an address")
                    .contains("A lookup for mx.broken.test failed");
        });
    }

    @Test
    void theMxRouteDefersWhenTheImplicitMxCannotBeResolvedNow() throws Exception {
        dns.fail("flaky.test", Type.A, TinyDns.Failure.SERVFAIL).fail("flaky.test", Type.AAAA, TinyDns.Failure.SERVFAIL);
        transport.setMx(mxRouting(List.of(25)));

        DeliveryResult result = send(transport.routeFor(MailAddress.parse("bob@flaky.test")), "a@example.org",
                "bob@flaky.test");

        assertThat(result.recipients().get(0).status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
        assertThat(result.recipients().get(0).enhancedCode()).isEqualTo("4.4.3");
        assertThat(result.attempts()).isEmpty();
    }

    @Test
    void anMxHostWithOnlyAnIpv6AddressIsDeliveredTo() throws Exception {
        FakeSmtpServer mx = FakeSmtpServer.plain(tls, "::1").offerStartTls(true).offerAuth(false);
        closeables.add(mx);
        strategy(mx.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        dns.mx("six.test", 10, "mx.six.test").aaaa("mx.six.test", "::1");
        transport.setMx(mxRouting(List.of(mx.port())));

        assertThat(resolver().resolve("six.test")).extracting(MxHost::name, MxHost::addresses)
                .containsExactly(tuple("mx.six.test", List.of("0:0:0:0:0:0:0:1")));
        DeliveryResult result = send(transport.routeFor(MailAddress.parse("bob@six.test")), "a@example.org",
                "bob@six.test");

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(result.recipients().get(0).host()).isEqualTo("mx.six.test");
        assertThat(result.recipients().get(0).tls()).isPresent();
        assertThat(result.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.result()).isEqualTo(Attempt.Result.DELIVERED);
            assertThat(attempt.detail()).startsWith("[0:0:0:0:0:0:0:1] ");
        });
        assertThat(mx.lines()).contains("RCPT TO:<bob@six.test>");
        assertThat(mx.messages()).hasSize(1);
    }

    @Test
    void withoutMxTheDomainsIpv4AddressIsTriedFirstThenItsIpv6Address() throws Exception {
        FakeSmtpServer host = FakeSmtpServer.plain(tls, "::1").offerStartTls(false).offerAuth(false);
        closeables.add(host);
        strategy(host.port(), TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
        // Nothing listens on 127.0.0.9: its connection is refused, as a dead address's would be.
        dns.a("dual.test", "127.0.0.9").aaaa("dual.test", "::1").aaaa("v6only.test", "::1");
        transport.setMx(mxRouting(List.of(host.port())));

        assertThat(resolver().resolve("dual.test")).extracting(MxHost::name, MxHost::preference, MxHost::addresses)
                .containsExactly(tuple("dual.test", 0, List.of("127.0.0.9", "0:0:0:0:0:0:0:1")));
        DeliveryResult dual = send(transport.routeFor(MailAddress.parse("bob@dual.test")), "a@example.org",
                "bob@dual.test");
        DeliveryResult v6only = send(transport.routeFor(MailAddress.parse("carol@v6only.test")), "a@example.org",
                "carol@v6only.test");

        assertThat(dual.allAccepted()).as(dual.toString()).isTrue();
        assertThat(dual.attempts()).extracting(Attempt::result, attempt -> attempt.detail().substring(0, 18))
                .containsExactly(tuple(Attempt.Result.REFUSED, "[127.0.0.9] connec"),
                        tuple(Attempt.Result.DELIVERED, "[0:0:0:0:0:0:0:1] "));
        assertThat(v6only.allAccepted()).as(v6only.toString()).isTrue();
        assertThat(v6only.recipients().get(0).host()).isEqualTo("v6only.test");
        assertThat(host.lines()).contains("RCPT TO:<bob@dual.test>", "RCPT TO:<carol@v6only.test>");
    }

    private MxRouting mxRouting(List<Integer> ports) {
        return new MxRouting(resolver(), mxSettings(ports), 2);
    }

    private MxRouting mxRouting(List<Integer> ports, int poolSize, TlsPolicies policies) {
        return new MxRouting(resolver(), mxSettings(ports), poolSize, policies);
    }

    private static RouteSettings mxSettings(List<Integer> ports) {
        Route route = new Route(Route.MX_NAME, Route.Kind.MX, "", ports, Set.of(), false, Duration.ofSeconds(2),
                Duration.ofSeconds(2));
        return new RouteSettings(route, Optional.empty(), PeerVerification.NONE, Duration.ofSeconds(30),
                Duration.ofMinutes(10), Optional.empty());
    }

    private FakeSmtpServer tls12OnlyServer() throws Exception {
        TlsService tls12Only = TestTls.service(TestPki.serverPkcs12(ca, dir.resolve("tls12.p12")),
                ca.writePem(dir.resolve("ca12.pem")), Map.of("protocols", new String[] {"TLSv1.2"}));
        FakeSmtpServer server = FakeSmtpServer.plain(tls12Only).offerStartTls(true).offerAuth(false);
        closeables.add(server);
        return server;
    }

    /** A transport whose TLS speaks only TLS 1.3: no handshake with {@link #tls12OnlyServer()}. */
    private SmtpMailTransport tls13OnlyClient(int... ports) throws Exception {
        SmtpMailTransport client = new SmtpMailTransport(TestTls.service(TestPki.serverPkcs12(ca,
                dir.resolve("client.p12")), ca.writePem(dir.resolve("ca13.pem")), Map.of("protocols",
                        new String[] {"TLSv1.3"})), Clock.systemUTC(), Duration.ofSeconds(1));
        closeables.add(client::deactivate);
        for (int port : ports) {
            client.addStrategy(PortStrategy.of(port, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL),
                    Map.of());
        }
        return client;
    }

    private DnsMxResolver resolver() {
        // Short: the questions told to go unanswered wait this long.
        return new DnsMxResolver(dns.address(), Duration.ofMillis(700));
    }
}
