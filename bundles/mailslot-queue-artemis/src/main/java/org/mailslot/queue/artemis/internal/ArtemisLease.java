package org.mailslot.queue.artemis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.queue.AttemptOutcome;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.LeaseLostException;
import org.mailslot.api.queue.Notice;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.Waiting;
import org.mailslot.support.text.ErrorText;

/**
 * A message received and not yet acknowledged by a transacted session of this node: the broker gives it
 * to no other consumer while the session lives, and gives it out again, as it was, when the session's
 * connection dies (the node crashed or lost the broker). It ends with one transaction: the
 * acknowledgement, the message's successor carrying its new state (unless it is finished) and the
 * notices, committed together. A lease not finished or renewed in its time is lost: its session closes
 * without a commit, and the broker gives the message to the next taker as it was.
 */
final class ArtemisLease implements Lease {

    private final ArtemisQueueStore store;
    private final LaneSession session;
    private final ClientMessage message;
    private final MessageHeaders.Head head;
    private final BodyBuffer body;
    private final MessageSource source;
    private final ScheduledExecutorService timer;
    private boolean ended;
    private boolean lost;
    private Instant expires;
    private ScheduledFuture<?> expiry;

    ArtemisLease(ArtemisQueueStore store, LaneSession session, ClientMessage message, MessageHeaders.Head head,
            BodyBuffer body, ScheduledExecutorService timer, Duration leaseTime) throws IOException {
        this.store = store;
        this.session = session;
        this.message = message;
        this.head = head;
        this.body = body;
        this.source = body.source();
        this.timer = timer;
        schedule(leaseTime);
    }

    private void schedule(Duration leaseTime) {
        expires = Instant.now().plus(leaseTime);
        expiry = timer.schedule(this::expire, leaseTime.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Gives the message back to the broker as it was: the session ends without a commit. */
    private synchronized void expire() {
        if (!ended) {
            lost = true;
            end(false);
        }
    }

    @Override
    public String id() {
        return head.id();
    }

    @Override
    public Envelope envelope() {
        return head.envelope();
    }

    @Override
    public Instant acceptedAt() {
        return head.acceptedAt();
    }

    @Override
    public long size() {
        return head.size();
    }

    @Override
    public MessageSource message() {
        return source;
    }

    @Override
    public DeliveryState state() {
        return head.state();
    }

    /** The lease lasts as long as this node's connection to the broker; no clock ends it. */
    @Override
    public synchronized Instant expires() {
        return expires;
    }

    @Override
    public synchronized boolean renew(Duration by) {
        if (ended || session.isClosed() || !Instant.now().isBefore(expires)) {
            return false;
        }
        expiry.cancel(false);
        schedule(by);
        return true;
    }

    @Override
    public synchronized void finish(AttemptOutcome outcome) throws IOException {
        requireOpen();
        checkRecipients(outcome.state());
        // The notices' octets are read before the transaction starts: a failure to read them leaves the lease
        // as it was, for the caller to finish again or put back.
        List<BodyBuffer> noticeBodies = new ArrayList<>();
        Intents.Applied applied;
        try {
            for (Notice notice : outcome.notices()) {
                BodyBuffer noticeBody = new BodyBuffer(store.bodies());
                noticeBodies.add(noticeBody);
                try (InputStream in = notice.message().open()) {
                    noticeBody.writeAll(in);
                }
            }
            applied = record(outcome, noticeBodies);
        } finally {
            noticeBodies.forEach(BodyBuffer::close);
        }
        end(true);
        if (applied.dueNow() && !applied.held() && !applied.deleted()) {
            store.tellEveryLane();
        }
    }

    /** The attempt's transaction: the acknowledgement, the successor unless finished, the notices, one commit. */
    private Intents.Applied record(AttemptOutcome outcome, List<BodyBuffer> noticeBodies) throws LeaseLostException {
        try {
            ClientSession session = this.session.session();
            ClientProducer producer = this.session.producer();
            message.individualAcknowledge();
            Intents.Applied applied = Intents.consume(session, store.intentsQueue(), head.id(),
                    outcome.state().waiting().map(Waiting::reason));
            if (!outcome.state().isFinished() && !applied.deleted()) {
                DeliveryState state = applied.state(outcome.state(), Instant.now());
                ClientMessage successor = session.createMessage(true);
                ArtemisQueueStore.write(new MessageHeaders.Head(head.id(), head.acceptedAt(), head.size(),
                        head.envelope(), state, store.laneOf(state), applied.held()), body, successor);
                producer.send(successor);
            }
            for (int i = 0; i < noticeBodies.size(); i++) {
                Notice notice = outcome.notices().get(i);
                BodyBuffer noticeBody = noticeBodies.get(i);
                ClientMessage noticeMessage = session.createMessage(true);
                Instant now = Instant.now();
                DeliveryState state = new DeliveryState(0, now, Optional.empty(),
                        notice.envelope().recipients().stream().map(RecipientProgress::pending).toList());
                ArtemisQueueStore.write(new MessageHeaders.Head(store.newId(), now, noticeBody.size(),
                        notice.envelope(), state, store.laneOf(state), false), noticeBody, noticeMessage);
                producer.send(noticeMessage);
            }
            session.commit();
            return applied;
        } catch (ActiveMQException | IOException e) {
            // What the transaction holds so far must not be committed by the session's next lease.
            end(false);
            throw new LeaseLostException("the queue broker did not record the attempt on " + head.id()
                    + "; it gives the message out again as it was: " + ErrorText.of(e), e);
        }
    }

    @Override
    public synchronized void putBack() {
        if (lost) {
            return;
        }
        try {
            requireOpen();
        } catch (LeaseLostException expired) {
            return;
        }
        // Rolling back would count a delivery; the message goes back unchanged and due at once instead.
        boolean committed = false;
        try {
            ClientSession session = this.session.session();
            message.individualAcknowledge();
            Intents.Applied applied = Intents.consume(session, store.intentsQueue(), head.id(), Optional.empty());
            if (!applied.deleted()) {
                ClientMessage same = session.createMessage(true);
                ArtemisQueueStore.write(new MessageHeaders.Head(head.id(), head.acceptedAt(), head.size(),
                        head.envelope(), head.state(), head.lane(), applied.held()), body, same);
                this.session.producer().send(same);
            }
            session.commit();
            committed = true;
        } catch (ActiveMQException | IOException e) {
            // The session ends below without a commit: the broker gives the message out again as it was.
        }
        end(committed);
    }

    private void checkRecipients(DeliveryState state) {
        List<?> before = head.state().recipients().stream().map(RecipientProgress::recipient).toList();
        List<?> after = state.recipients().stream().map(RecipientProgress::recipient).toList();
        if (!before.equals(after)) {
            throw new IllegalArgumentException("the outcome's recipients are not those of message " + head.id());
        }
    }

    private void requireOpen() throws LeaseLostException {
        if (!ended && !Instant.now().isBefore(expires)) {
            expire();
        }
        if (lost) {
            throw new LeaseLostException("the lease on " + head.id() + " expired at " + expires
                    + ": the queue broker gave the message out again as it was");
        }
        if (ended) {
            throw new IllegalStateException("the lease on " + head.id() + " ended already");
        }
    }

    /**
     * @param committed whether the attempt's transaction committed: then the session carries the lane's next
     *     lease; else it closes, and the broker gives the message out again as it was
     */
    private void end(boolean committed) {
        ended = true;
        expiry.cancel(false);
        body.close();
        if (committed) {
            store.release(session);
        } else {
            session.close();
        }
    }
}
