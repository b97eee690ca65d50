package org.mailslot.queue.artemis.internal;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the broker: sessions for one node, created on demand, so that a broker that is
 * down at start or goes away is reached again by the next call instead of making the store fail.
 * Durable sends block until the broker has the message in its journal. Every wait is bounded
 * ({@link ClientLimits}); a connection the client gave up on is replaced by a new one at the next call.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final StoreSettings settings;
    private final ServerLocator locator;
    private ClientSessionFactory factory;
    /** The factory whose reconnection failed: it makes no more sessions. */
    private volatile ClientSessionFactory failed;
    private boolean unreachable;

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
        // Acknowledgements are made in transactions only, whose commit blocks: the broker takes a session's
        // packets in order, so waiting for each acknowledgement too would only add a round trip.
        locator.setBlockOnDurableSend(true).setBlockOnAcknowledge(false).setConsumerWindowSize(0);
        if (!ClientLimits.parameters(settings.url()).contains("minLargeMessageSize")) {
            locator.setMinLargeMessageSize(BodyBuffer.LARGE);
        }
        if (ClientLimits.apply(locator, settings.url())) {
            LOG.info("artemis.url asks for reconnecting longer than the call timeout ({} ms): Mailslot reconnects {}"
                    + " times, {} ms apart, then refuses mail with 451 until the broker is back",
                    locator.getCallTimeout(), locator.getReconnectAttempts(), locator.getRetryInterval());
        }
    }

    /** @return the queue's name on the broker */
    String queue() {
        return settings.queue();
    }

    /** @return the name of the queue of operator actions waiting for attempts to end ({@link Intents}) */
    String intentsQueue() {
        return settings.queue() + ".intents";
    }

    /** @return how long a call to the broker may take, in milliseconds */
    long callTimeout() {
        return locator.getCallTimeout();
    }

    /**
     * @param transacted whether sends and acknowledgements wait for {@link ClientSession#commit()}
     * @return a new session, started
     */
    ClientSession session(boolean transacted) throws ActiveMQException {
        try {
            ClientSession session = factory().createSession(settings.user(), settings.password(), false, !transacted,
                    !transacted, false, 0);
            session.start();
            reached();
            return session;
        } catch (ActiveMQException | RuntimeException e) {
            lost(e);
            throw e;
        }
    }

    /** @return the session factory, connecting (and making sure of the queue) when there is none or it gave up */
    private synchronized ClientSessionFactory factory() throws ActiveMQException {
        if (factory != null && (factory.isClosed() || factory == failed)) {
            factory.close();
            factory = null;
        }
        if (factory == null) {
            ClientSessionFactory connected;
            try {
                connected = locator.createSessionFactory();
            } catch (ActiveMQException e) {
                throw e;
            } catch (Exception e) {
                throw new ActiveMQException(e.getMessage());
            }
            connected.addFailoverListener(event -> {
                if (event == FailoverEventType.FAILOVER_FAILED) {
                    failed = connected;
                }
            });
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

    private synchronized void reached() {
        if (unreachable) {
            unreachable = false;
            LOG.info("The queue broker at {} is reachable again", settings.url());
        }
    }

    /** Says once, not at every call, that the broker cannot be reached. */
    synchronized void lost(Exception e) {
        if (!unreachable) {
            unreachable = true;
            LOG.warn("The queue broker at {} cannot be reached; mail is refused with 451 until it is back: {}",
                    settings.url(), ErrorText.of(e));
        }
    }

    /** Connects unless connected: the queue exists afterwards. */
    void connect() throws ActiveMQException {
        factory();
    }

    /** Creates the durable anycast queues unless they exist. */
    private void ensureQueue(ClientSessionFactory connected) throws ActiveMQException {
        try (ClientSession session = connected.createSession(settings.user(), settings.password(), false, true, true,
                false, 0)) {
            for (String queue : new String[] {settings.queue(), intentsQueue()}) {
                if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
                    try {
                        session.createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                                .setDurable(true).setAutoCreateAddress(true));
                    } catch (ActiveMQQueueExistsException e) {
                        // Another node created it in between.
                    }
                }
            }
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
