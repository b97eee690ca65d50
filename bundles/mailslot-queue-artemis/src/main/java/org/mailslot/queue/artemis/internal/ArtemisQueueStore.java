package org.mailslot.queue.artemis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
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
    /** How long a lane's session no take uses is kept. */
    private static final Duration UNUSED = Duration.ofSeconds(5);

    private final Broker broker;
    private final Path bodies;
    private final Clock clock;
    private final BrokerManagement management;
    private final MessageById byId;
    private final Intents intents;
    private final ScheduledExecutorService leaseTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mailslot-artemis-leases");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mailslot-artemis-due");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Lane, AtomicBoolean> telling = new EnumMap<>(Map.of(Lane.LOCAL, new AtomicBoolean(),
            Lane.REMOTE, new AtomicBoolean()));
    private final ConcurrentLinkedQueue<Producer> producers = new ConcurrentLinkedQueue<>();
    private final AtomicReference<QueueConsumer> consumer = new AtomicReference<>();
    /** Each lane's sessions that carry no lease now. */
    private final Map<Lane, LaneSessions> lanes = new EnumMap<>(Lane.class);
    /** How the other nodes name this one when they find a message it is delivering. */
    private final String node = BrokerManagement.thisNode();
    private volatile boolean closed;

    /** A session of this node's with its producer, used by one enqueue at a time. */
    private record Producer(ClientSession session, ClientProducer producer) {
    }

    public ArtemisQueueStore(Broker broker, Path bodies, Clock clock) {
        this.broker = broker;
        this.bodies = bodies;
        this.clock = clock;
        this.management = new BrokerManagement(broker);
        this.byId = new MessageById(broker, management, bodies);
        this.intents = new Intents(broker, management);
        for (Lane lane : Lane.values()) {
            lanes.put(lane, new LaneSessions(lane));
        }
        leaseTimer.scheduleWithFixedDelay(this::closeUnused, UNUSED.toMillis(), UNUSED.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
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
            MessageHeaders.Head head = send();
            tellAbout(head);
            return receipt(head);
        }

        /**
         * The listener answers once the broker has the message; the scheduler hears of it after that, as taking
         * it costs a round trip to the broker that the SMTP client need not wait for.
         */
        @Override
        public CompletionStage<SubmissionReceipt> commitAsync(Executor blocking) {
            CompletableFuture<SubmissionReceipt> committed = new CompletableFuture<>();
            blocking.execute(() -> {
                MessageHeaders.Head head;
                try {
                    head = send();
                } catch (SubmissionException | RuntimeException e) {
                    committed.completeExceptionally(e);
                    return;
                }
                committed.complete(receipt(head));
                tellLater(head.lane());
            });
            return committed;
        }

        private SubmissionReceipt receipt(MessageHeaders.Head head) {
            return new SubmissionReceipt(head.id(), head.acceptedAt(), head.size());
        }

        private void tellAbout(MessageHeaders.Head head) {
            QueueConsumer current = consumer.get();
            if (current != null) {
                tell(current, head.lane());
            }
        }

        /** @return the head of the message the broker now holds durably */
        private MessageHeaders.Head send() throws SubmissionException {
            if (done) {
                throw new IllegalStateException("the message was committed or closed already");
            }
            done = true;
            try {
                Instant now = clock.instant();
                DeliveryState state = new DeliveryState(0, now, Optional.empty(),
                        envelope.recipients().stream().map(RecipientProgress::pending).toList());
                MessageHeaders.Head head = new MessageHeaders.Head(newId(), now, body.size(), envelope, state,
                        laneOf(state), false);
                ArtemisQueueStore.this.send(head, body);
                return head;
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

    /**
     * Tells the scheduler on this store's own thread, once for all the mail that came meanwhile: its takes
     * wait for each other (one front session per lane), and the listener's threads need not wait with them.
     */
    private void tellLater(Lane lane) {
        AtomicBoolean pending = telling.get(lane);
        if (pending.compareAndSet(false, true)) {
            try {
                notifier.execute(() -> {
                    pending.set(false);
                    QueueConsumer current = consumer.get();
                    if (current != null) {
                        tell(current, lane);
                    }
                });
            } catch (RejectedExecutionException closing) {
                pending.set(false);
            }
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
        LaneSessions sessions = lanes.get(lane);
        LaneSession session = null;
        ClientMessage message;
        sessions.lock.lock();
        try {
            session = sessions.front();
            message = session.receive();
            if (message == null) {
                return Optional.empty();
            }
            sessions.front = null;
        } catch (ActiveMQException | RuntimeException e) {
            sessions.front = null;
            return failed(lane, session, e);
        } finally {
            sessions.lock.unlock();
        }
        try {
            BodyBuffer body = new BodyBuffer(bodies);
            body.readFrom(message);
            return Optional.of(new ArtemisLease(this, session, message, dueNow(MessageHeaders.read(message)), body,
                    leaseTimer, leaseTime));
        } catch (IOException | RuntimeException e) {
            return failed(lane, session, e);
        }
    }

    private Optional<Lease> failed(Lane lane, LaneSession session, Exception e) {
        if (e instanceof ActiveMQException unreachable) {
            broker.lost(unreachable);
            // The others were made on the same connection: after a broker failure none of them works.
            closeIdle();
        } else {
            LOG.warn("Cannot take a message of the {} lane from the queue broker: {}", lane, ErrorText.of(e));
        }
        if (session != null) {
            session.close();
        }
        return Optional.empty();
    }

    /**
     * A lane's sessions that carry no lease. Every take asks through the front one: a take that finds
     * nothing leaves its consumer asking for one message until the broker hears that it no longer does,
     * and a message the broker hands it in that instant waits in that consumer for the next take, which
     * only the front one makes sure of. A session whose lease committed asked for nothing since its message.
     */
    private final class LaneSessions {
        final Lane lane;
        final ReentrantLock lock = new ReentrantLock();
        final Deque<LaneSession> idle = new ConcurrentLinkedDeque<>();
        LaneSession front;

        LaneSessions(Lane lane) {
            this.lane = lane;
        }

        /** @return the front session, the last idle one or a new one; with {@link #lock} held */
        LaneSession front() throws ActiveMQException {
            if (front == null || front.isClosed()) {
                front = idle.pollFirst();
                if (front == null) {
                    front = LaneSession.open(broker, lane, node);
                }
            }
            return front;
        }

        void close() {
            lock.lock();
            try {
                if (front != null) {
                    front.close();
                    front = null;
                }
            } finally {
                lock.unlock();
            }
            for (LaneSession session = idle.poll(); session != null; session = idle.poll()) {
                session.close();
            }
        }
    }

    /** Keeps a lane's session whose lease committed for a later take. */
    void release(LaneSession session) {
        if (session.isClosed()) {
            return;
        }
        session.idleSince(System.nanoTime());
        lanes.get(session.lane()).idle.offerFirst(session);
        if (closed) {
            closeIdle();
        }
    }

    /**
     * Closes the sessions no take used for a while: the broker may have handed one of them a message in the
     * instant its last take asked for one (when a message already waited in it), and closing gives it back.
     */
    private void closeUnused() {
        long before = System.nanoTime() - UNUSED.toNanos();
        for (LaneSessions sessions : lanes.values()) {
            for (LaneSession session : sessions.idle) {
                if (session.idleSince() - before < 0 && sessions.idle.remove(session)) {
                    session.close();
                }
            }
        }
    }

    private void closeIdle() {
        lanes.values().forEach(LaneSessions::close);
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

    /**
     * The broker delivers the scheduled messages the reason selects now, and this node's consumer hears of
     * it; a message being attempted falls due when its attempt ends waiting for the reason.
     */
    @Override
    public int dueNow(WaitReason waitingFor) {
        try {
            int count = 0;
            for (Listed listed : listed().values()) {
                if (listed.where() == BrokerManagement.Where.DELIVERING) {
                    intents.record(listed.head().id(), Intents.Kind.DUE, waitingFor);
                } else if (listed.where() == BrokerManagement.Where.SCHEDULED && !listed.head().held()
                        && listed.head().state().waiting().filter(w -> w.reason() == waitingFor).isPresent()) {
                    count++;
                }
            }
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
            return (int) Math.min(Integer.MAX_VALUE, management.messageCount());
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

    /** A message as the broker's management lists it, with the broker's name of the consumer delivering it. */
    private record Listed(MessageHeaders.Head head, BrokerManagement.Where where, Optional<String> consumer) {
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
                messages.put(head.id(), new Listed(head, listed.where(), listed.consumer()));
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

    /** A message a node is attempting goes when the attempt ends, as on the file store. */
    @Override
    public boolean delete(String id) {
        return act(id, Intents.Kind.DELETE, null, listed -> management.removeMessages(MessageHeaders.idFilter(id)) > 0);
    }

    /**
     * A held message waits in the queue unscheduled, where no node's consumer selects it; one being attempted
     * is held when the attempt ends.
     */
    @Override
    public boolean hold(String id) {
        return act(id, Intents.Kind.HOLD, null, listed -> listed.head().held()
                || byId.change(id, (head, body) -> held(head, true, head.state())).isPresent());
    }

    /** The message falls due at once, as on the file store. */
    @Override
    public boolean release(String id) {
        Instant now = clock.instant();
        try {
            Optional<Listed> found = find(id);
            if (found.isEmpty()) {
                return false;
            }
            if (found.get().where() == BrokerManagement.Where.DELIVERING) {
                intents.cancel(id, Intents.Kind.HOLD);
                return true;
            }
            if (found.get().head().held()) {
                byId.change(id, (head, body) -> held(head, false, new DeliveryState(head.state().attempts(), now,
                        head.state().waiting(), head.state().recipients())));
            }
            tellEveryLane();
            return true;
        } catch (ActiveMQException | IOException e) {
            throw unavailable("release " + id, e);
        }
    }

    private static MessageHeaders.Head held(MessageHeaders.Head head, boolean held, DeliveryState state) {
        return new MessageHeaders.Head(head.id(), head.acceptedAt(), head.size(), head.envelope(), state, head.lane(),
                held);
    }

    /** An operator's action on a message no node is attempting. */
    @FunctionalInterface
    private interface Direct {
        /** @return false if the message was not where it was listed: a node took it meanwhile */
        boolean apply(Listed listed) throws ActiveMQException, IOException;
    }

    /**
     * Acts on the message at once, or, while a node is attempting it, records the action for its lease to
     * apply when the attempt ends (and acts at once after all if the attempt ended meanwhile).
     *
     * @return false if the queue has no message with that id
     */
    private boolean act(String id, Intents.Kind kind, WaitReason reason, Direct direct) {
        try {
            for (int tries = 0; tries < 5; tries++) {
                Optional<Listed> found = find(id);
                if (found.isEmpty()) {
                    return false;
                }
                if (found.get().where() != BrokerManagement.Where.DELIVERING) {
                    if (direct.apply(found.get())) {
                        return true;
                    }
                    continue;
                }
                intents.record(id, kind, reason);
                Optional<Listed> after = find(id);
                if (after.isEmpty() || after.get().where() == BrokerManagement.Where.DELIVERING) {
                    return true;
                }
                intents.cancel(id, kind);
            }
            throw new IllegalStateException("message " + id + " kept moving between nodes: " + kind.name()
                    .toLowerCase(java.util.Locale.ROOT) + " it again");
        } catch (ActiveMQException | IOException e) {
            throw unavailable(kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id, e);
        }
    }

    /**
     * The broker delivers every scheduled message no operator holds now; one being attempted falls due when
     * its attempt ends.
     */
    @Override
    public int flush() {
        try {
            int count = 0;
            for (Listed listed : listed().values()) {
                if (!listed.head().held()) {
                    count++;
                    if (listed.where() == BrokerManagement.Where.DELIVERING) {
                        intents.record(listed.head().id(), Intents.Kind.FLUSH, null);
                    }
                }
            }
            management.deliverScheduled(MessageHeaders.notHeld());
            tellEveryLane();
            return count;
        } catch (ActiveMQException e) {
            throw unavailable("flush the queue", e);
        }
    }

    @Override
    public boolean flush(String id) {
        boolean found = act(id, Intents.Kind.FLUSH, null, listed -> {
            if (!listed.head().held() && listed.where() == BrokerManagement.Where.SCHEDULED) {
                management.deliverScheduled(MessageHeaders.idFilter(id) + " AND " + MessageHeaders.notHeld());
            }
            return true;
        });
        if (found) {
            tellEveryLane();
        }
        return found;
    }

    /**
     * The octets are read from the broker when the source is opened: browsed if the message is due or
     * held, else taken and put back as it was. A message a node is attempting cannot be read then: opening
     * it fails, naming the node.
     */
    @Override
    public Optional<MessageSource> content(String id) {
        return find(id).map(listed -> () -> {
            if (listed.where() == BrokerManagement.Where.DELIVERING) {
                throw new IOException(underWay(id, listed));
            }
            return byId.open(id);
        });
    }

    private String underWay(String id, Listed listed) {
        Optional<String> holder;
        try {
            holder = listed.consumer().isPresent() ? management.nodeOf(listed.consumer().get()) : Optional.empty();
        } catch (ActiveMQException e) {
            holder = Optional.empty();
        }
        return "message " + id + " is under way on " + holder.map(n -> n.equals(node) ? n + ", this node" : "node " + n)
                .orElse("another node") + ": its octets can be read once the attempt ends";
    }

    void tellEveryLane() {
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

    String intentsQueue() {
        return broker.intentsQueue();
    }

    Path bodies() {
        return bodies;
    }

    @Override
    public void close() {
        closed = true;
        leaseTimer.shutdownNow();
        notifier.shutdownNow();
        closeProducers();
        closeIdle();
        management.close();
        broker.close();
    }
}
