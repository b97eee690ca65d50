package org.mailslot.queue.artemis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.QueueConsumer;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.submission.NonBlockingWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue on a broker queue shared by several nodes. A message is one durable broker message whose
 * properties hold its envelope and delivery state ({@link MessageHeaders}) and whose body is the octets.
 * Enqueueing is a blocking durable send; a lease is a message received, unacknowledged, by a
 * transacted session of this node, which no other consumer is given while the session lives; finishing
 * acknowledges it and sends its successor (the new state, scheduled with {@code _AMQ_SCHED_DELIVERY}
 * for its next attempt) and the notices in one transaction.
 */
public final class ArtemisQueueStore implements QueueStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisQueueStore.class);

    private final Broker broker;
    private final Path bodies;
    private final Clock clock;
    private final BrokerManagement management;
    private final MessageById byId;
    private final ConcurrentLinkedQueue<Producer> producers = new ConcurrentLinkedQueue<>();
    private final AtomicReference<QueueConsumer> consumer = new AtomicReference<>();

    /** A session of this node's with its producer, used by one enqueue at a time. */
    private record Producer(ClientSession session, ClientProducer producer) {
    }

    public ArtemisQueueStore(Broker broker, Path bodies, Clock clock) {
        this.broker = broker;
        this.bodies = bodies;
        this.clock = clock;
        this.management = new BrokerManagement(broker);
        this.byId = new MessageById(broker, management, bodies);
    }

    @Override
    public NonBlockingWriter begin(Envelope envelope) throws SubmissionException {
        if (envelope.recipients().isEmpty()) {
            throw new SubmissionException(SubmissionException.Reason.MALFORMED, "a message needs a recipient");
        }
        return new Writer(envelope);
    }

    private final class Writer implements NonBlockingWriter {
        private final Envelope envelope;
        private final BodyBuffer body = new BodyBuffer(bodies);
        private boolean done;

        Writer(Envelope envelope) {
            this.envelope = envelope;
        }

        @Override
        public void write(byte[] octets, int offset, int length) throws SubmissionException {
            try {
                body.write(octets, offset, length);
            } catch (IOException e) {
                throw new SubmissionException(SubmissionException.Reason.UNAVAILABLE,
                        "cannot buffer the message for the queue broker: " + ErrorText.of(e), e);
            }
        }

        @Override
        public SubmissionReceipt commit() throws SubmissionException {
            if (done) {
                throw new IllegalStateException("the message was committed or closed already");
            }
            done = true;
            try {
                Instant now = clock.instant();
                String id = newId();
                DeliveryState state = new DeliveryState(0, now, Optional.empty(),
                        envelope.recipients().stream().map(RecipientProgress::pending).toList());
                MessageHeaders.Head head = new MessageHeaders.Head(id, now, body.size(), envelope, state,
                        laneOf(state), false);
                send(head, body);
                QueueConsumer current = consumer.get();
                if (current != null) {
                    tell(current, head.lane());
                }
                return new SubmissionReceipt(id, now, body.size());
            } catch (ActiveMQException | IOException e) {
                throw new SubmissionException(SubmissionException.Reason.UNAVAILABLE,
                        "the queue broker did not take the message: " + ErrorText.of(e), e);
            } finally {
                body.close();
            }
        }

        @Override
        public void close() {
            done = true;
            body.close();
        }
    }

    private void send(MessageHeaders.Head head, BodyBuffer body) throws ActiveMQException, IOException {
        Producer producer = producers.poll();
        if (producer == null) {
            ClientSession session = broker.session(false);
            producer = new Producer(session, session.createProducer(broker.queue()));
        }
        try {
            ClientMessage message = producer.session().createMessage(true);
            write(head, body, message);
            producer.producer().send(message);
            producers.offer(producer);
        } catch (ActiveMQException | IOException | RuntimeException e) {
            if (e instanceof ActiveMQException unreachable) {
                broker.lost(unreachable);
            }
            producer.session().close();
            // The others were made on the same connection: after a broker failure none of them works.
            closeProducers();
            throw e;
        }
    }

    private void closeProducers() {
        for (Producer producer = producers.poll(); producer != null; producer = producers.poll()) {
            try {
                producer.session().close();
            } catch (ActiveMQException e) {
                // A session of a connection that is gone closes without the broker.
            }
        }
    }

    /** Writes a queued message; one not held and due later is scheduled for then. */
    static void write(MessageHeaders.Head head, BodyBuffer body, ClientMessage message) throws IOException {
        MessageHeaders.write(head, message);
        if (!head.held() && head.state().nextAttempt().isAfter(Instant.now())) {
            message.putLongProperty(Message.HDR_SCHEDULED_DELIVERY_TIME, head.state().nextAttempt().toEpochMilli());
        }
        body.into(message);
    }

    String newId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase(java.util.Locale.ROOT);
    }

    Lane laneOf(DeliveryState state) {
        QueueConsumer current = consumer.get();
        if (current == null) {
            return Lane.LOCAL;
        }
        try {
            return current.laneOf(state.recipients().stream().filter(r -> !r.status().isFinal())
                    .map(RecipientProgress::recipient).toList());
        } catch (RuntimeException e) {
            LOG.warn("The delivery scheduler could not say a message's lane; it waits in the local lane: {}",
                    ErrorText.of(e));
            return Lane.LOCAL;
        }
    }

    private static void tell(QueueConsumer consumer, Lane lane) {
        try {
            consumer.due(lane);
        } catch (RuntimeException e) {
            LOG.warn("The delivery scheduler failed on news of due mail: {}", ErrorText.of(e));
        }
    }

    @Override
    public AutoCloseable attach(QueueConsumer newConsumer) {
        if (!consumer.compareAndSet(null, newConsumer)) {
            throw new IllegalStateException("a consumer is attached to the Artemis queue store already");
        }
        return () -> consumer.compareAndSet(newConsumer, null);
    }

    @Override
    public Optional<Lease> take(Lane lane, Duration leaseTime) {
        if (consumer.get() == null) {
            throw new IllegalStateException("no consumer is attached to the Artemis queue store");
        }
        ClientSession session = null;
        try {
            session = broker.session(true);
            ClientConsumer receiver = session.createConsumer(broker.queue(), MessageHeaders.laneFilter(lane));
            ClientMessage message = receiver.receiveImmediate();
            if (message == null) {
                session.close();
                return Optional.empty();
            }
            BodyBuffer body = new BodyBuffer(bodies);
            body.readFrom(message);
            return Optional.of(new ArtemisLease(this, session, receiver, message, dueNow(MessageHeaders.read(message)),
                    body));
        } catch (ActiveMQException | IOException | RuntimeException e) {
            if (e instanceof ActiveMQException unreachable) {
                broker.lost(unreachable);
            } else {
                LOG.warn("Cannot take a message of the {} lane from the queue broker: {}", lane, ErrorText.of(e));
            }
            if (session != null) {
                try {
                    session.close();
                } catch (ActiveMQException closing) {
                    e.addSuppressed(closing);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A message the broker hands out is due, whatever its head says: a flush or {@link #dueNow} made the
     * broker deliver it before its time.
     */
    private MessageHeaders.Head dueNow(MessageHeaders.Head head) {
        Instant now = clock.instant();
        DeliveryState state = head.state();
        if (!state.nextAttempt().isAfter(now)) {
            return head;
        }
        return new MessageHeaders.Head(head.id(), head.acceptedAt(), head.size(), head.envelope(),
                new DeliveryState(state.attempts(), now, state.waiting(), state.recipients()), head.lane(), head.held());
    }

    /** The broker delivers the scheduled messages the reason selects now, and this node's consumer hears of it. */
    @Override
    public int dueNow(WaitReason waitingFor) {
        try {
            int count = (int) management.scheduledMessages().stream().map(properties -> MessageHeaders.read(
                    properties::get)).filter(head -> !head.held() && head.state().waiting().filter(
                            waiting -> waiting.reason() == waitingFor).isPresent()).count();
            management.deliverScheduled(MessageHeaders.waitingFor(waitingFor));
            tellEveryLane();
            return count;
        } catch (ActiveMQException e) {
            broker.lost(e);
            return 0;
        }
    }

    @Override
    public int depth() {
        try {
            return (int) Math.min(Integer.MAX_VALUE, broker.messageCount());
        } catch (ActiveMQException e) {
            throw unavailable("ask for the queue's depth", e);
        }
    }

    @Override
    public List<QueueEntry> list() {
        try {
            return listed().values().stream().map(Listed::entry)
                    .sorted(Comparator.comparing(QueueEntry::acceptedAt).thenComparing(QueueEntry::id)).toList();
        } catch (ActiveMQException e) {
            throw unavailable("list the queue", e);
        }
    }

    /** A message as the broker's management lists it. */
    private record Listed(MessageHeaders.Head head, BrokerManagement.Where where) {
        QueueEntry entry() {
            return entryOf(head, where);
        }
    }

    /** @return every message Mailslot wrote, by id; one listed twice (moving as it is listed) where it went last */
    private Map<String, Listed> listed() throws ActiveMQException {
        Map<String, Listed> messages = new LinkedHashMap<>();
        for (BrokerManagement.Listed listed : management.allMessages()) {
            if (listed.properties().get(MessageHeaders.ID) != null) {
                MessageHeaders.Head head = MessageHeaders.read(listed.properties()::get);
                messages.put(head.id(), new Listed(head, listed.where()));
            }
        }
        return messages;
    }

    private Optional<Listed> find(String id) {
        try {
            return Optional.ofNullable(listed().get(id));
        } catch (ActiveMQException e) {
            throw unavailable("look for " + id, e);
        }
    }

    @Override
    public Optional<QueueEntry> entry(String id) {
        return find(id).map(Listed::entry);
    }

    /** The message goes now if no node holds it; a leased one goes when its lease ends. */
    @Override
    public boolean delete(String id) {
        try {
            return management.removeMessages(MessageHeaders.idFilter(id)) > 0;
        } catch (ActiveMQException e) {
            throw unavailable("delete " + id, e);
        }
    }

    /** A held message waits in the queue unscheduled, where no node's consumer selects it. */
    @Override
    public boolean hold(String id) {
        return change(id, "hold", head -> head.held() ? head : held(head, true, head.state()));
    }

    /** The message falls due at once, as on the file store. */
    @Override
    public boolean release(String id) {
        Instant now = clock.instant();
        boolean found = change(id, "release", head -> head.held() ? held(head, false, new DeliveryState(
                head.state().attempts(), now, head.state().waiting(), head.state().recipients())) : head);
        if (found) {
            tellEveryLane();
        }
        return found;
    }

    private static MessageHeaders.Head held(MessageHeaders.Head head, boolean held, DeliveryState state) {
        return new MessageHeaders.Head(head.id(), head.acceptedAt(), head.size(), head.envelope(), state, head.lane(),
                held);
    }

    /**
     * @return false if the queue has no message with that id
     * @throws IllegalStateException if a node is attempting it now: its lease has it
     */
    private boolean change(String id, String action, java.util.function.UnaryOperator<MessageHeaders.Head> change) {
        Optional<Listed> found = find(id);
        if (found.isEmpty()) {
            return false;
        }
        if (found.get().where() == BrokerManagement.Where.DELIVERING) {
            throw leased(id, action);
        }
        try {
            if (byId.change(id, (head, body) -> change.apply(head)).isEmpty()) {
                if (find(id).isEmpty()) {
                    return false;
                }
                throw leased(id, action);
            }
            return true;
        } catch (ActiveMQException | IOException e) {
            throw unavailable(action + " " + id, e);
        }
    }

    private static IllegalStateException leased(String id, String action) {
        return new IllegalStateException("message " + id + " is being attempted by a node now: " + action
                + " it once the attempt has ended");
    }

    /** The broker delivers every scheduled message no operator holds now. */
    @Override
    public int flush() {
        try {
            int count = (int) listed().values().stream().filter(listed -> !listed.head().held()).count();
            management.deliverScheduled(MessageHeaders.notHeld());
            tellEveryLane();
            return count;
        } catch (ActiveMQException e) {
            throw unavailable("flush the queue", e);
        }
    }

    @Override
    public boolean flush(String id) {
        Optional<Listed> found = find(id);
        found.filter(listed -> !listed.head().held() && listed.where() == BrokerManagement.Where.SCHEDULED)
                .ifPresent(listed -> {
                    try {
                        management.deliverScheduled(MessageHeaders.idFilter(id) + " AND " + MessageHeaders.notHeld());
                    } catch (ActiveMQException e) {
                        throw unavailable("flush " + id, e);
                    }
                    tellEveryLane();
                });
        return found.isPresent();
    }

    /**
     * The octets are read from the broker when the source is opened: browsed if the message is due or
     * held, else taken and put back as it was; a message that a node is attempting cannot be read then.
     */
    @Override
    public Optional<MessageSource> content(String id) {
        return find(id).map(listed -> () -> byId.open(id));
    }

    private void tellEveryLane() {
        QueueConsumer current = consumer.get();
        if (current != null) {
            for (Lane lane : Lane.values()) {
                tell(current, lane);
            }
        }
    }

    /** As the file store shows it: no next attempt while held or being attempted. */
    private static QueueEntry entryOf(MessageHeaders.Head head, BrokerManagement.Where where) {
        DeliveryState state = head.state();
        List<RecipientState> recipients = state.recipients().stream().map(r -> new RecipientState(
                r.recipient().address(), r.status(), r.lastReply())).toList();
        Optional<String> lastError = state.waiting().map(Waiting::detail);
        Optional<Waiting> waiting = head.held()
                ? Optional.of(new Waiting(WaitReason.HELD_BY_OPERATOR, lastError.orElse("held")))
                : state.waiting();
        Optional<Instant> next = head.held() || where == BrokerManagement.Where.DELIVERING ? Optional.empty()
                : Optional.of(state.nextAttempt());
        return new QueueEntry(head.id(), head.envelope().reversePath(), recipients, head.size(), head.acceptedAt(),
                state.attempts(), next, lastError, head.held(), waiting);
    }

    private static UncheckedIOException unavailable(String what, Exception e) {
        return new UncheckedIOException(new IOException("cannot " + what + " on the queue broker: " + ErrorText.of(e),
                e));
    }

    String brokerQueue() {
        return broker.queue();
    }

    Path bodies() {
        return bodies;
    }

    @Override
    public void close() {
        closeProducers();
        broker.close();
    }
}
