package org.mailslot.queue.artemis.internal;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * The connection to the broker: sessions for one node, created on demand, so that a broker that is
 * down at start or goes away is reached again by the next call instead of making the store fail.
 * Durable sends block until the broker has the message in its journal.
 */
public final class Broker implements AutoCloseable {

    private final StoreSettings settings;
    private final ServerLocator locator;
    private ClientSessionFactory factory;

    public Broker(StoreSettings settings) {
        this.settings = settings;
        try {
            this.locator = ActiveMQClient.createServerLocator(settings.url());
        } catch (Exception e) {
            throw new IllegalArgumentException("artemis.url '" + settings.url() + "' is not an Artemis URL: "
                    + e.getMessage(), e);
        }
        // A durable send returns once the broker's journal holds it; a consumer is given one message at a
        // time, on request, so a message is leased to the one node that asked (window 0: no client buffer).
        locator.setBlockOnDurableSend(true).setBlockOnAcknowledge(true).setConsumerWindowSize(0);
    }

    /** @return the queue's name on the broker */
    String queue() {
        return settings.queue();
    }

    /**
     * @param transacted whether sends and acknowledgements wait for {@link ClientSession#commit()}
     * @return a new session, started
     */
    ClientSession session(boolean transacted) throws ActiveMQException {
        ClientSession session = factory().createSession(settings.user(), settings.password(), false, !transacted,
                !transacted, false, 0);
        session.start();
        return session;
    }

    /** @return the session factory, connecting (and making sure of the queue) when there is none */
    private synchronized ClientSessionFactory factory() throws ActiveMQException {
        if (factory == null || factory.isClosed()) {
            ClientSessionFactory connected;
            try {
                connected = locator.createSessionFactory();
            } catch (ActiveMQException e) {
                throw e;
            } catch (Exception e) {
                throw new ActiveMQException(e.getMessage());
            }
            try {
                ensureQueue(connected);
            } catch (ActiveMQException | RuntimeException e) {
                connected.close();
                throw e;
            }
            factory = connected;
        }
        return factory;
    }

    /** Connects unless connected: the queue exists afterwards. */
    void connect() throws ActiveMQException {
        factory();
    }

    /** Creates the durable anycast queue unless it exists. */
    private void ensureQueue(ClientSessionFactory connected) throws ActiveMQException {
        try (ClientSession session = connected.createSession(settings.user(), settings.password(), false, true, true,
                false, 0)) {
            if (!session.queueQuery(SimpleString.of(settings.queue())).isExists()) {
                try {
                    session.createQueue(QueueConfiguration.of(settings.queue()).setRoutingType(RoutingType.ANYCAST)
                            .setDurable(true).setAutoCreateAddress(true));
                } catch (ActiveMQQueueExistsException e) {
                    // Another node created it in between.
                }
            }
        }
    }

    /** @return the broker's count of the queue's messages, scheduled and being delivered included */
    long messageCount() throws ActiveMQException {
        try (ClientSession session = session(false)) {
            ClientSession.QueueQuery query = session.queueQuery(SimpleString.of(settings.queue()));
            return query.isExists() ? query.getMessageCount() : 0;
        }
    }

    @Override
    public synchronized void close() {
        if (factory != null) {
            factory.close();
        }
        locator.close();
    }
}
