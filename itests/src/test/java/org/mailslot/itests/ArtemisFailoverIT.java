package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.mailslot.testing.peers.ArtemisPair;
import org.mailslot.testing.peers.PostfixPeer;

/**
 * The shared queue on a replicated Artemis live/backup pair survives a {@code kill -9} of the live broker
 * under load: two Mailslot nodes (distribution copies, {@code artemis.url} naming both brokers with
 * {@code ha=true}) take mail from SMTP clients and deliver it to a Postfix peer while the live broker is
 * killed; the nodes fail over to the backup, and every message answered 250 arrives. Duplicates are
 * counted, not forbidden: an attempt that delivered and whose commit died with the live broker is
 * attempted again (the at-least-once window, docs/queue-on-artemis.md).
 */
@Category(OwnKaraf.class)
public class ArtemisFailoverIT {

    private static final int SESSIONS_PER_NODE = 2;
    private static final int BEFORE_KILL = 150;
    private static final int AFTER_FAILOVER = 150;

    private ArtemisPair pair;
    private PostfixPeer postfix;
    private final List<MailslotNode> nodes = new ArrayList<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> replies = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger brokenSessions = new AtomicInteger();
    private final AtomicLong lastRefusal = new AtomicLong();

    @After
    public void stopAll() throws Exception {
        for (MailslotNode node : nodes) {
            node.close();
        }
        if (pair != null) {
            pair.close();
        }
        if (postfix != null) {
            postfix.close();
        }
    }

    @Test
    public void everyAcknowledgedMessageArrivesAfterTheLiveBrokerIsKilledUnderLoad() throws Exception {
        postfix = ArtemisNodesIT.postfix("example.test");
        pair = ArtemisPair.start();
        for (String name : List.of("first", "second")) {
            nodes.add(ArtemisNodesIT.node(name, pair.url(), pair.primary(),
                    Map.of("example.test", ArtemisNodesIT.POSTFIX_PORT)));
        }
        nodes.forEach(node -> start(node));
        nodes.forEach(MailslotNode::awaitListening);
        nodes.forEach(node -> ArtemisNodesIT.awaitPortStrategy(node, ArtemisNodesIT.POSTFIX_PORT));

        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (MailslotNode node : nodes) {
            for (int i = 0; i < SESSIONS_PER_NODE; i++) {
                Thread client = new Thread(() -> submitUntilStopped(node, stop), "load-" + node.name() + "-" + i);
                client.start();
                clients.add(client);
            }
        }
        ArtemisNodesIT.await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= BEFORE_KILL);
        int deliveredAtKill = ArtemisNodesIT.delivered(postfix).size();
        int atKill = acknowledged.size();
        long killedAt = System.nanoTime();
        pair.failOver(Duration.ofSeconds(60));
        long backupActive = System.nanoTime();
        ArtemisNodesIT.await().atMost(Duration.ofSeconds(90))
                .until(() -> acknowledged.size() >= atKill + AFTER_FAILOVER);
        long firstAfter = System.nanoTime();
        stop.set(true);
        for (Thread client : clients) {
            client.join(TimeUnit.SECONDS.toMillis(90));
        }

        ArtemisNodesIT.await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> assertThat(ArtemisNodesIT.delivered(postfix).keySet()).containsAll(acknowledged));
        for (MailslotNode node : nodes) {
            ArtemisNodesIT.await().untilAsserted(() -> assertThat(node.queuedIds()).as("%s's queue", node).isEmpty());
        }
        Map<String, Integer> delivered = ArtemisNodesIT.delivered(postfix);
        long duplicates = delivered.values().stream().mapToInt(copies -> copies - 1).sum();
        System.out.printf("failover: %d acknowledged (%d at the kill, %d delivered then), %d distinct delivered,"
                + " %d duplicate(s); replies %s, %d session(s) broken; backup active %.1f s after the kill, %d more"
                + " acknowledged %.1f s after the kill; last refusal %s%n",
                acknowledged.size(), atKill, deliveredAtKill, delivered.size(), duplicates, replies, brokenSessions.get(),
                (backupActive - killedAt) / 1e9, AFTER_FAILOVER, (firstAfter - killedAt) / 1e9,
                lastRefusal.get() == 0 ? "none" : String.format("%.1f s after the kill", (lastRefusal.get() - killedAt) / 1e9));

        assertThat(delivered.keySet()).as("every message answered 250 arrived").containsAll(acknowledged);
        assertThat(delivered.keySet()).as("nothing invented").allMatch(token -> token.startsWith("f"));
        assertThat(pair.primary().isRunning()).as("the live broker stays dead: the nodes work on the backup").isFalse();
    }

    private static void start(MailslotNode node) {
        try {
            node.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One client: message after message on one connection, reconnecting when it breaks, until stopped. */
    private void submitUntilStopped(MailslotNode node, AtomicBoolean stop) {
        while (!stop.get()) {
            try (MtaClient client = MtaClient.connect(node.smtpPort())) {
                while (!stop.get()) {
                    String token = "f" + sequence.incrementAndGet();
                    String reply = client.send("sender@client.test", "rcpt@example.test", ArtemisNodesIT.message(token));
                    replies.computeIfAbsent(reply.substring(0, 3), code -> new AtomicInteger()).incrementAndGet();
                    if (reply.startsWith("250 ")) {
                        acknowledged.add(token);
                    } else {
                        lastRefusal.set(System.nanoTime());
                    }
                }
            } catch (IOException e) {
                // What was not answered 250 was never promised; a new session follows.
                brokenSessions.incrementAndGet();
            }
        }
    }
}
