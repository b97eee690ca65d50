package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.Route;
import org.mailslot.transport.internal.delivery.mx.DnsMxResolver;
import org.mailslot.transport.internal.delivery.mx.MxHost;
import org.mailslot.transport.internal.delivery.mx.MxLookupException;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

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
        Route mxRoute = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(mx.port()), Set.of(), false,
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        transport.setMx(new MxRouting(resolver(), new RouteSettings(mxRoute, Optional.empty(), PeerVerification.NONE,
                Duration.ofSeconds(30), Duration.ofMinutes(10), Optional.empty()), 2));

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

    private DnsMxResolver resolver() {
        return new DnsMxResolver("127.0.0.1:" + dns.port(), Duration.ofSeconds(2));
    }

    /** Answers A and MX queries from a map; NXDOMAIN for names it has nothing for. */
    private static final class TinyDns implements AutoCloseable {

        private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
        private final DatagramSocket socket;
        private final Thread thread;

        TinyDns() {
            try {
                socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            thread = new Thread(this::serve, "tiny-dns");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        TinyDns mx(String domain, int preference, String target) {
            add(new MXRecord(name(domain), DClass.IN, 60, preference, name(target)));
            return this;
        }

        TinyDns a(String host, String address) {
            try {
                add(new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(address)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        private void add(Record record) {
            records.computeIfAbsent(record.getName().toString(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(record);
        }

        private static Name name(String text) {
            try {
                return text.equals(".") ? Name.root : Name.fromString(text + ".");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void serve() {
            byte[] buffer = new byte[1500];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    Record question = query.getQuestion();
                    Message response = new Message(query.getHeader().getID());
                    response.getHeader().setFlag(Flags.QR);
                    response.getHeader().setFlag(Flags.AA);
                    response.getHeader().setFlag(Flags.RA);
                    response.addRecord(question, Section.QUESTION);
                    List<Record> known = records.get(question.getName().toString());
                    if (known == null) {
                        response.getHeader().setRcode(Rcode.NXDOMAIN);
                    } else {
                        known.stream().filter(r -> r.getType() == question.getType())
                                .forEach(r -> response.addRecord(r, Section.ANSWER));
                    }
                    byte[] wire = response.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (Exception e) {
                    // Closed, or a query this server does not understand.
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
