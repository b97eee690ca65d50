package org.mailslot.queue.artemis.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.spool.WaitReason;

/**
 * Operator actions on a message that a node is attempting, which the broker's management cannot touch:
 * kept on the broker, in a queue of their own, until the attempt ends. The lease consumes those for its
 * message in the transaction that ends it, so whichever node holds the lease applies them, and a lease
 * that ends with its node (a crash) leaves them to the message's next attempt.
 */
final class Intents {

    /** What an operator asked for while the message was being attempted. */
    enum Kind {
        /** Remove the message when the attempt ends. */
        DELETE,
        /** Keep it held when the attempt ends. */
        HOLD,
        /** Make it due at once when the attempt ends. */
        FLUSH,
        /** Make it due at once if the attempt leaves it waiting for {@link Intent#reason()}. */
        DUE
    }

    /** An action, and for {@link Kind#DUE} the reason it is about. */
    record Intent(Kind kind, Optional<WaitReason> reason) {
    }

    /** What the actions make of an attempt's end. */
    record Applied(boolean deleted, boolean held, boolean dueNow) {

        /** @return the state to keep: due at once if an action asked for it and the message is not held */
        DeliveryState state(DeliveryState state, java.time.Instant now) {
            return dueNow && !held && state.nextAttempt().isAfter(now)
                    ? new DeliveryState(state.attempts(), now, state.waiting(), state.recipients()) : state;
        }
    }

    /** An action whose attempt never ended (its message was deleted meanwhile, say) goes after a day. */
    private static final Duration KEPT = Duration.ofDays(1);
    private static final String KIND = "mailslot_intent";
    private static final String REASON = "mailslot_intent_reason";

    private final Broker broker;
    private final BrokerManagement management;

    Intents(Broker broker, BrokerManagement management) {
        this.broker = broker;
        this.management = management;
    }

    /** Keeps the action on the broker, durably, for the message's attempt to apply. */
    void record(String id, Kind kind, WaitReason reason) throws ActiveMQException {
        try (ClientSession session = broker.session(false);
                ClientProducer producer = session.createProducer(broker.intentsQueue())) {
            ClientMessage intent = session.createMessage(true);
            intent.putStringProperty(MessageHeaders.ID, id);
            intent.putStringProperty(KIND, kind.name());
            if (reason != null) {
                intent.putStringProperty(REASON, reason.name());
            }
            intent.setExpiration(System.currentTimeMillis() + KEPT.toMillis());
            producer.send(intent);
        }
    }

    /** Drops the actions of this kind for the message: its attempt ended before they were recorded, say. */
    void cancel(String id, Kind kind) throws ActiveMQException {
        management.removeMessages(broker.intentsQueue(),
                MessageHeaders.idFilter(id) + " AND " + KIND + " = '" + kind.name() + "'");
    }

    /**
     * Takes the actions for the message, acknowledged in the session's transaction: they are gone when it
     * commits and back when it does not.
     *
     * @param waitingFor what the attempt leaves the message waiting for, if anything
     */
    static Applied consume(ClientSession session, String queue, String id, Optional<WaitReason> waitingFor)
            throws ActiveMQException {
        if (session.queueQuery(SimpleString.of(queue)).getMessageCount() == 0) {
            return new Applied(false, false, false);
        }
        List<Intent> intents = new ArrayList<>();
        try (ClientConsumer consumer = session.createConsumer(queue, MessageHeaders.idFilter(id))) {
            for (ClientMessage intent = consumer.receiveImmediate(); intent != null;
                    intent = consumer.receiveImmediate()) {
                intent.individualAcknowledge();
                Object reason = intent.getObjectProperty(REASON);
                intents.add(new Intent(Kind.valueOf(String.valueOf(intent.getObjectProperty(KIND))),
                        Optional.ofNullable(reason).map(r -> WaitReason.valueOf(r.toString()))));
            }
        }
        boolean deleted = intents.stream().anyMatch(i -> i.kind() == Kind.DELETE);
        boolean held = intents.stream().anyMatch(i -> i.kind() == Kind.HOLD);
        boolean due = intents.stream().anyMatch(i -> i.kind() == Kind.FLUSH
                || (i.kind() == Kind.DUE && waitingFor.isPresent() && i.reason().equals(waitingFor)));
        return new Applied(deleted, held, due);
    }
}
