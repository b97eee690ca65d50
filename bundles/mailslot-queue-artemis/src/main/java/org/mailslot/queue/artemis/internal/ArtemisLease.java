package org.mailslot.queue.artemis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
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
import org.mailslot.support.text.ErrorText;

/**
 * A message received and not yet acknowledged by a transacted session of this node: the broker gives it
 * to no other consumer while the session lives, and gives it out again, as it was, when the session's
 * connection dies (the node crashed or lost the broker). It ends with one transaction: the
 * acknowledgement, the message's successor carrying its new state (unless it is finished) and the
 * notices, committed together.
 */
final class ArtemisLease implements Lease {

    private final ArtemisQueueStore store;
    private final ClientSession session;
    private final ClientConsumer receiver;
    private final ClientMessage message;
    private final MessageHeaders.Head head;
    private final BodyBuffer body;
    private final MessageSource source;
    private boolean ended;

    ArtemisLease(ArtemisQueueStore store, ClientSession session, ClientConsumer receiver, ClientMessage message,
            MessageHeaders.Head head, BodyBuffer body) throws IOException {
        this.store = store;
        this.session = session;
        this.receiver = receiver;
        this.message = message;
        this.head = head;
        this.body = body;
        this.source = body.source();
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
    public Instant expires() {
        return Instant.MAX;
    }

    @Override
    public synchronized boolean renew(Duration by) {
        return !ended && !session.isClosed();
    }

    @Override
    public synchronized void finish(AttemptOutcome outcome) throws IOException {
        requireOpen();
        checkRecipients(outcome.state());
        List<BodyBuffer> noticeBodies = new ArrayList<>();
        try (ClientProducer producer = session.createProducer(store.brokerQueue())) {
            message.individualAcknowledge();
            if (!outcome.state().isFinished()) {
                ClientMessage successor = session.createMessage(true);
                ArtemisQueueStore.write(new MessageHeaders.Head(head.id(), head.acceptedAt(), head.size(),
                        head.envelope(), outcome.state(), store.laneOf(outcome.state()), false), body, successor);
                producer.send(successor);
            }
            for (Notice notice : outcome.notices()) {
                BodyBuffer noticeBody = new BodyBuffer(store.bodies());
                noticeBodies.add(noticeBody);
                try (InputStream in = notice.message().open()) {
                    noticeBody.writeAll(in);
                }
                ClientMessage noticeMessage = session.createMessage(true);
                Instant now = Instant.now();
                DeliveryState state = new DeliveryState(0, now, Optional.empty(),
                        notice.envelope().recipients().stream().map(RecipientProgress::pending).toList());
                ArtemisQueueStore.write(new MessageHeaders.Head(store.newId(), now, noticeBody.size(),
                        notice.envelope(), state, store.laneOf(state), false), noticeBody, noticeMessage);
                producer.send(noticeMessage);
            }
            session.commit();
        } catch (ActiveMQException e) {
            end();
            throw new LeaseLostException("the queue broker did not record the attempt on " + head.id()
                    + "; it gives the message out again as it was: " + ErrorText.of(e), e);
        } finally {
            noticeBodies.forEach(BodyBuffer::close);
        }
        end();
    }

    @Override
    public synchronized void putBack() {
        requireOpen();
        // Rolling back would count a delivery; the message goes back unchanged and due at once instead.
        try (ClientProducer producer = session.createProducer(store.brokerQueue())) {
            message.individualAcknowledge();
            ClientMessage same = session.createMessage(true);
            ArtemisQueueStore.write(head, body, same);
            producer.send(same);
            session.commit();
        } catch (ActiveMQException | IOException e) {
            // The session ends below without a commit: the broker gives the message out again as it was.
        }
        end();
    }

    private void checkRecipients(DeliveryState state) {
        List<?> before = head.state().recipients().stream().map(RecipientProgress::recipient).toList();
        List<?> after = state.recipients().stream().map(RecipientProgress::recipient).toList();
        if (!before.equals(after)) {
            throw new IllegalArgumentException("the outcome's recipients are not those of message " + head.id());
        }
    }

    private void requireOpen() {
        if (ended) {
            throw new IllegalStateException("the lease on " + head.id() + " ended already");
        }
    }

    private void end() {
        ended = true;
        body.close();
        try {
            receiver.close();
            session.close();
        } catch (ActiveMQException e) {
            // Closing without a commit rolls back: the broker gives the message out again.
        }
    }
}
