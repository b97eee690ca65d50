package org.mailslot.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.Test;

class ArtemisPeerIT {

    private static final String QUEUE = "peer-test";

    @Test
    void keepsADurableMessageAcrossKillAndRestart() throws Exception {
        try (ArtemisPeer broker = ArtemisPeer.builder().start()) {
            send(broker.url(), broker, List.of("one", "two"));
            assertThat(broker.messageCount(QUEUE)).contains(2L);

            broker.kill();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            assertThat(receive(broker.url(), broker, 2)).containsExactly("one", "two");
            assertThat(broker.messageCount(QUEUE)).contains(0L);
        }
    }

    @Test
    void closeStopsTheBrokerAndFreesItsPort() {
        ArtemisPeer broker = ArtemisPeer.builder().start();
        long pid = broker.pid();
        try {
            assertThat(Processes.isPortOpen(broker.address(), broker.port())).isTrue();
        } finally {
            broker.close();
        }

        assertThat(Processes.isRunning(pid)).isFalse();
        assertThat(Processes.isPortOpen(broker.address(), broker.port())).isFalse();
    }

    @Test
    void theBackupTakesOverWithTheMessagesAfterKillOfThePrimary() throws Exception {
        try (ArtemisPair pair = ArtemisPair.start()) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                bodies.add("message " + i);
            }
            send(pair.url(), pair.primary(), bodies);

            pair.failOver(Duration.ofSeconds(60));

            assertThat(pair.primary().isRunning()).isFalse();
            assertThat(receive(pair.url(), pair.backup(), bodies.size())).containsExactlyElementsOf(bodies);
        }
    }

    private static void send(String url, ArtemisPeer login, List<String> bodies) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url).setBlockOnDurableSend(true);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(login.user(), login.password(), false, true, true,
                        false, 0)) {
            if (!session.queueQuery(org.apache.activemq.artemis.api.core.SimpleString.of(QUEUE)).isExists()) {
                session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            }
            try (ClientProducer producer = session.createProducer(QUEUE)) {
                for (String body : bodies) {
                    ClientMessage message = session.createMessage(true);
                    message.getBodyBuffer().writeBytes(body.getBytes(StandardCharsets.UTF_8));
                    producer.send(message);
                }
            }
        }
    }

    private static List<String> receive(String url, ArtemisPeer login, int count) throws Exception {
        List<String> bodies = new ArrayList<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(login.user(), login.password(), false, true, true,
                        false, 0);
                ClientConsumer consumer = session.createConsumer(QUEUE)) {
            session.start();
            for (int i = 0; i < count; i++) {
                ClientMessage message = consumer.receive(10_000);
                assertThat(message).as("message %d of %d", i + 1, count).isNotNull();
                byte[] body = new byte[message.getBodyBuffer().readableBytes()];
                message.getBodyBuffer().readBytes(body);
                message.acknowledge();
                bodies.add(new String(body, StandardCharsets.UTF_8));
            }
            assertThat(consumer.receiveImmediate()).as("a message beyond the %d sent", count).isNull();
        }
        return bodies;
    }
}
