package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runners.MethodSorters;
import org.mailslot.testing.peers.ArtemisPeer;
import org.mailslot.testing.peers.PostfixPeer;
import org.mailslot.testing.peers.PostfixPeer.Listener;
import org.mailslot.testing.peers.StallingPeer;
import org.mailslot.testing.peers.TestCa;

/**
 * Two Mailslot nodes sharing one queue on one Artemis broker, as the scale-out layout runs them
 * (docs/queue-on-artemis.md): two copies of the built distribution, each its own {@code bin/karaf
 * server} on its own ports, both with {@code org.mailslot.queue} {@code store = artemis}, relaying to a
 * Postfix peer whose Maildir counts what arrives.
 *
 * <p>Mail for {@code example.test} goes from both nodes to Postfix. Mail for {@code slow.test} goes from
 * the second node to Postfix too, but from the first to a next hop that takes DATA and never answers,
 * so the first node holds such messages leased for as long as it lives. Mail for {@code later.test}
 * goes to a port that refuses connections: it stays queued, deferred.
 *
 * <p>Not a Pax Exam test: two nodes, and one of them is killed. The kill comes last (the methods run
 * in name order).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
@Category(OwnKaraf.class)
public class ArtemisNodesIT {

    static final String POSTFIX_ADDRESS = "127.0.0.45";
    static final int POSTFIX_PORT = 2025;
    private static final Pattern TOKEN = Pattern.compile("X-Node-Token: (\\S+)");
    private static final Pattern QUEUED_AS = Pattern.compile("^250 .*queued as (\\S+)");

    private static ArtemisPeer broker;
    private static PostfixPeer postfix;
    private static StallingPeer stalled;
    private static MailslotNode first;
    private static MailslotNode second;

    @BeforeClass
    public static void startPeersAndNodes() throws Exception {
        stalled = StallingPeer.stopsReadingAfterData();
        postfix = postfix("example.test", "slow.test");
        broker = ArtemisPeer.builder().start();
        int refusing = MailslotTestSupport.freePort();
        first = node("first", broker.url(), broker, Map.of("example.test", POSTFIX_PORT, "slow.test", stalled.port(),
                "later.test", refusing));
        second = node("second", broker.url(), broker, Map.of("example.test", POSTFIX_PORT, "slow.test", POSTFIX_PORT,
                "later.test", refusing));
        first.start();
        second.start();
        first.awaitListening();
        second.awaitListening();
        awaitPortStrategy(first, POSTFIX_PORT);
        awaitPortStrategy(second, POSTFIX_PORT);
    }

    /** Waits until the node has the plain-text strategy for the port of its next hops (mailslot:ports). */
    static void awaitPortStrategy(MailslotNode node, int port) {
        await().untilAsserted(() -> assertThat(node.shell("mailslot:ports")).as("%s's port strategies", node)
                .contains(String.valueOf(port)));
    }

    /** A Postfix peer on {@value #POSTFIX_ADDRESS}:{@value #POSTFIX_PORT} taking mail for the domains into one Maildir. */
    static PostfixPeer postfix(String... domains) {
        return PostfixPeer.builder().address(POSTFIX_ADDRESS).hostname("mx.example.test").domains(domains)
                .certificate(TestCa.create().issueServer(POSTFIX_ADDRESS, "mx.example.test"))
                .port(Listener.RELAY, POSTFIX_PORT).closed(Listener.SUBMISSIONS).closed(Listener.SUBMISSION)
                .closed(Listener.ALTERNATE).start();
    }

    /**
     * A node on the broker (URL as {@code artemis.url} takes it, logging in as the peer's user), relaying
     * each domain to 127.0.0.1 or the Postfix peer on the given port, in plain text.
     */
    static MailslotNode node(String name, String brokerUrl, ArtemisPeer login, Map<String, Integer> routes)
            throws IOException {
        MailslotNode node = MailslotNode.unpack(name, routes.keySet().toArray(String[]::new));
        node.write("org.mailslot.queue.cfg", Map.of("store", "artemis", "artemis.url", brokerUrl,
                "artemis.user", login.user(), "artemis.password", login.password()));
        // A message tried before the node's routes and port strategies are in force (Karaf reads etc/ as it
        // starts) is deferred: it is tried again in seconds, not after the default five minutes.
        node.write("org.mailslot.delivery.cfg", Map.of("local.domains", "localhost", "retry.initial", "2s",
                "retry.max", "10s"));
        for (Map.Entry<String, Integer> route : routes.entrySet()) {
            String domain = route.getKey().replace('.', '-');
            int port = route.getValue();
            String host = port == POSTFIX_PORT ? POSTFIX_ADDRESS : "127.0.0.1";
            node.write("org.mailslot.relay-" + domain + ".cfg", Map.of("host", host, "ports", port,
                    "domains", route.getKey(), "data.timeout", 600));
            node.write("org.mailslot.port-" + port + ".cfg", Map.of("port", port, "role", "relay", "tls.mode", "none",
                    "auth.policy", "none"));
        }
        return node;
    }

    @AfterClass
    public static void stopAll() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {first, second, broker, postfix, stalled}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    public void a_mailToEitherNodeIsDeliveredOnceByOneOfThem() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (MailslotNode node : List.of(first, second, first, second)) {
            try (MtaClient client = MtaClient.connect(node.smtpPort())) {
                for (int i = 0; i < 5; i++) {
                    String token = node.name() + "-" + tokens.size();
                    assertThat(client.send("sender@client.test", "rcpt@example.test", message(token)))
                            .as("%s's answer to the end of data", node).startsWith("250 ");
                    tokens.add(token);
                }
            }
        }

        await().untilAsserted(() -> assertThat(delivered(postfix).keySet()).containsAll(tokens));
        await().untilAsserted(() -> assertThat(first.queuedIds()).isEmpty());
        assertThat(second.queuedIds()).isEmpty();
        Map<String, Integer> delivered = delivered(postfix);
        assertThat(delivered).as("copies at the Postfix peer per message").hasSize(tokens.size())
                .allSatisfy((token, copies) -> assertThat(copies).as(token).isOne());
    }

    @Test
    public void b_eitherNodeShowsTheSameQueue() throws Exception {
        List<String> ids = new ArrayList<>();
        for (MailslotNode node : List.of(first, second)) {
            try (MtaClient client = MtaClient.connect(node.smtpPort())) {
                ids.add(queuedAs(client.send("sender@client.test", "rcpt@later.test", message(node.name() + "-later"))));
            }
        }

        // The two nodes ask at different moments; the deferred messages keep their ids across attempts.
        await().untilAsserted(() -> assertThat(Set.copyOf(second.queuedIds())).as("the queue seen from the second node")
                .isEqualTo(Set.copyOf(first.queuedIds())).containsAll(ids));
        for (String id : ids) {
            assertThat(first.shell("mailslot:queue " + id)).contains(id).contains("rcpt@later.test");
            assertThat(second.shell("mailslot:queue " + id)).contains(id).contains("rcpt@later.test");
        }
    }

    @Test
    public void c_messagesLeasedByAKilledNodeAreDeliveredByTheOther() throws Exception {
        int count = 10;
        List<String> tokens = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (MtaClient client = MtaClient.connect(first.smtpPort())) {
            for (int i = 0; i < count; i++) {
                String token = "slow-" + i;
                ids.add(queuedAs(client.send("sender@client.test", "rcpt@slow.test", message(token))));
                tokens.add(token);
            }
        }
        // The first node holds two (its route's per-destination limit) in DATA that never ends; the second
        // delivers the others, which the first put back because its route was busy.
        await().until(() -> stalled.dataCommands() >= 1);
        await().until(() -> delivered(postfix).keySet().stream().filter(t -> t.startsWith("slow-")).count()
                == count - stalled.dataCommands());
        int held = stalled.dataCommands();
        assertThat(held).as("messages the first node holds leased").isBetween(1, 2);
        List<String> queued = second.queuedIds();
        assertThat(ids.stream().filter(queued::contains)).as("the leased messages, in the queue the second node shows")
                .hasSize(held);
        // The octets of a message under way are with the node attempting it: either node shows its state and
        // says which node that is.
        String leased = ids.stream().filter(queued::contains).findFirst().orElseThrow();
        String firstNode = "(pid " + first.pid() + ")";
        assertThat(second.shell("mailslot:queue-show " + leased)).contains("Message " + leased).contains("rcpt@slow.test")
                .contains("delivering").contains("Header: not readable now: message " + leased + " is under way on node ")
                .contains(firstNode + ": its octets can be read once the attempt ends");
        assertThat(first.shell("mailslot:queue-show " + leased)).contains(firstNode + ", this node");

        first.kill();

        await().untilAsserted(() -> assertThat(delivered(postfix).keySet()).containsAll(tokens));
        Map<String, Integer> delivered = delivered(postfix);
        assertThat(tokens).as("delivered once each").allSatisfy(token -> assertThat(delivered.get(token)).isOne());
        System.out.printf("kill -9 of the first node with %d message(s) leased: all %d delivered by the second%n",
                held, count);
    }

    static String message(String token) {
        return "From: <sender@client.test>\r\nSubject: node test " + token + "\r\nX-Node-Token: " + token
                + "\r\n\r\nA message for a queue shared by several nodes.\r\n";
    }

    static String queuedAs(String reply) {
        Matcher id = QUEUED_AS.matcher(reply);
        assertThat(id.find()).as("a 250 naming the queue id: %s", reply).isTrue();
        return id.group(1);
    }

    /** @return token → copies of it in the Postfix peer's Maildir */
    static Map<String, Integer> delivered(PostfixPeer postfix) throws IOException {
        Map<String, Integer> found = new HashMap<>();
        for (Path file : postfix.messages()) {
            Matcher token = TOKEN.matcher(Files.readString(file, StandardCharsets.US_ASCII));
            if (token.find()) {
                found.merge(token.group(1), 1, Integer::sum);
            }
        }
        return found;
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsMatching(e -> e instanceof IOException || e instanceof java.io.UncheckedIOException);
    }
}
