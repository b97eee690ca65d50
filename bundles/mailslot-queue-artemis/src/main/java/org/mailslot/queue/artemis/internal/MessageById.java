package org.mailslot.queue.artemis.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * Reaches one queued message by its id, as an operator's action needs it, from any node. A message is
 * changed by taking it out of the queue and sending its changed copy, in one transaction; one scheduled
 * for a later attempt, which no consumer sees, is first made due by the broker's management (a node may
 * take it in between: then it is being attempted, a little early, and the action finds nothing to take).
 * A message a node holds under a lease cannot be taken until the lease ends.
 */
final class MessageById {

    /** What an action makes of a message it took: the head of the copy that replaces it. */
    @FunctionalInterface
    interface Change {
        MessageHeaders.Head apply(MessageHeaders.Head head, BodyBuffer body) throws IOException;
    }

    private final Broker broker;
    private final BrokerManagement management;
    private final Path bodies;

    MessageById(Broker broker, BrokerManagement management, Path bodies) {
        this.broker = broker;
        this.management = management;
        this.bodies = bodies;
    }

    /**
     * Replaces the message with a copy, its octets the same and its head as the change makes it.
     *
     * @return the head written, or empty if no message with that id could be taken (none, or leased)
     */
    Optional<MessageHeaders.Head> change(String id, Change change) throws ActiveMQException, IOException {
        try (ClientSession session = broker.session(true);
                ClientConsumer consumer = session.createConsumer(broker.queue(), MessageHeaders.idFilter(id))) {
            ClientMessage message = take(consumer, id);
            if (message == null) {
                return Optional.empty();
            }
            try (BodyBuffer body = new BodyBuffer(bodies);
                    ClientProducer producer = session.createProducer(broker.queue())) {
                body.readFrom(message);
                MessageHeaders.Head changed = change.apply(MessageHeaders.read(message), body);
                message.individualAcknowledge();
                ClientMessage copy = session.createMessage(true);
                ArtemisQueueStore.write(changed, body, copy);
                producer.send(copy);
                session.commit();
                return Optional.of(changed);
            }
        }
    }

    /**
     * Reads the octets: a due or held message by browsing it, one scheduled for later by taking it and
     * putting it back as it was.
     *
     * @return the octets, until the stream is closed
     * @throws IOException if the queue has no message with that id that can be read now
     */
    InputStream open(String id) throws IOException {
        try {
            BodyBuffer body = browse(id);
            if (body == null) {
                BodyBuffer copy = new BodyBuffer(bodies);
                try {
                    if (change(id, (head, octets) -> {
                        try (InputStream in = octets.open()) {
                            copy.writeAll(in);
                        }
                        return head;
                    }).isPresent()) {
                        body = copy;
                    } else {
                        copy.close();
                    }
                } catch (ActiveMQException | IOException | RuntimeException e) {
                    copy.close();
                    throw e;
                }
            }
            if (body == null) {
                throw new IOException("message " + id + " is not in the queue, or a node is delivering it now");
            }
            return closingWith(body);
        } catch (ActiveMQException e) {
            throw new IOException("cannot read message " + id + " from the queue broker: " + e.getMessage(), e);
        }
    }

    private static InputStream closingWith(BodyBuffer body) throws IOException {
        return new FilterInputStream(body.open()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    body.close();
                }
            }
        };
    }

    /** @return the octets of the due or held message with that id, null if there is none */
    private BodyBuffer browse(String id) throws ActiveMQException, IOException {
        try (ClientSession session = broker.session(false);
                ClientConsumer browser = session.createConsumer(broker.queue(), MessageHeaders.idFilter(id), true)) {
            ClientMessage message = browser.receiveImmediate();
            if (message == null) {
                return null;
            }
            BodyBuffer body = new BodyBuffer(bodies);
            try {
                body.readFrom(message);
                return body;
            } catch (IOException | RuntimeException e) {
                body.close();
                throw e;
            }
        }
    }

    /** @return the message, made due first if it was scheduled; null if none can be taken */
    private ClientMessage take(ClientConsumer consumer, String id) throws ActiveMQException {
        ClientMessage message = consumer.receiveImmediate();
        if (message == null) {
            management.deliverScheduled(MessageHeaders.idFilter(id));
            message = consumer.receive(Math.max(1, broker.callTimeout() / 4));
        }
        return message;
    }
}
