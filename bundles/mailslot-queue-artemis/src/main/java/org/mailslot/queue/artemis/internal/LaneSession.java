package org.mailslot.queue.artemis.internal;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.mailslot.api.queue.Lane;

/**
 * A transacted session of this node's with a standing consumer of one lane's due messages and a producer
 * into the queue: it carries one lease at a time and is kept for the next one, so that a take costs the
 * broker one request on a consumer it knows, not a new session and consumer. The consumer asks for one
 * message at a time (window 0) and holds none between takes; a message received and not yet acknowledged
 * is leased to this session until it commits, and goes back to the queue when the session closes.
 */
final class LaneSession implements AutoCloseable {

    private final Lane lane;
    private final ClientSession session;
    private final ClientConsumer consumer;
    private final ClientProducer producer;

    private LaneSession(Lane lane, ClientSession session, ClientConsumer consumer, ClientProducer producer) {
        this.lane = lane;
        this.session = session;
        this.consumer = consumer;
        this.producer = producer;
    }

    /** @param node how other nodes name this one when they list what it is delivering */
    static LaneSession open(Broker broker, Lane lane, String node) throws ActiveMQException {
        ClientSession session = broker.session(true);
        try {
            session.addMetaData(BrokerManagement.NODE, node);
            return new LaneSession(lane, session, session.createConsumer(broker.queue(), MessageHeaders.laneFilter(lane)),
                    session.createProducer(broker.queue()));
        } catch (ActiveMQException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private volatile long idleSince;

    /** @param nanos when it last carried a lease ({@link System#nanoTime()}) */
    void idleSince(long nanos) {
        idleSince = nanos;
    }

    long idleSince() {
        return idleSince;
    }

    Lane lane() {
        return lane;
    }

    ClientSession session() {
        return session;
    }

    ClientProducer producer() {
        return producer;
    }

    /** @return the lane's first due message, leased to this session; null if none is due */
    ClientMessage receive() throws ActiveMQException {
        return consumer.receiveImmediate();
    }

    boolean isClosed() {
        return session.isClosed();
    }

    /** Ends the session without a commit: the broker gives out again what it had received and not committed. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (ActiveMQException e) {
            // A session of a connection that is gone closes without the broker, which rolls it back itself.
        }
    }
}
