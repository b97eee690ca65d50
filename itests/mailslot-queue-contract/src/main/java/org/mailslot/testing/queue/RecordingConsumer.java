package org.mailslot.testing.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.QueueConsumer;

/**
 * The consumer a store's test attaches in the scheduler's place: a message with a recipient at
 * {@code localhost} waits in the local lane, as the scheduler decides for a local domain, and every
 * lane the store says may have due messages is kept.
 */
public final class RecordingConsumer implements QueueConsumer {

    private final List<Lane> told = new CopyOnWriteArrayList<>();

    @Override
    public Lane laneOf(List<Recipient> pending) {
        return pending.stream().anyMatch(r -> r.address().domain().equals("localhost")) ? Lane.LOCAL : Lane.REMOTE;
    }

    @Override
    public void due(Lane lane) {
        told.add(lane);
    }

    /** @return every lane the store said may have due messages, oldest first; clear it to start again */
    public List<Lane> told() {
        return told;
    }
}
