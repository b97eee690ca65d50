package org.mailslot.spool.internal;

import java.util.List;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.transport.MessageSource;
import org.mailslot.api.transport.Route;

/**
 * What one attempt of a message delivers, decided before anything is delivered: the pipeline's
 * copy of the message, its local recipients, its remote ones grouped by destination with the
 * route each was resolved to (once per attempt), and the recipients that cannot go this time.
 *
 * @param envelope the envelope the pipeline left, with every recipient of this attempt
 * @param message the octets the pipeline left
 * @param local the recipients of local domains, for the Maildirs
 * @param remote the other recipients, by destination, in the order first seen
 * @param waiting the recipients that wait without a delivery (no transport, no route), with why
 */
record AttemptPlan(Envelope envelope, MessageSource message, List<Recipient> local, List<Destination> remote,
        List<Unroutable> waiting) {

    AttemptPlan {
        local = List.copyOf(local);
        remote = List.copyOf(remote);
        waiting = List.copyOf(waiting);
    }

    /**
     * The recipients of one destination (a relay route, an MX domain), delivered in one transaction.
     *
     * @param key the destination as the scheduler limits and suspends it: {@code relay:NAME} or {@code mx:DOMAIN}
     * @param route the route the transport resolved for them
     */
    record Destination(String key, Route route, List<Recipient> recipients) {

        Destination {
            recipients = List.copyOf(recipients);
        }
    }

    /** A recipient that waits this attempt without a delivery, and why. */
    record Unroutable(Recipient recipient, Waiting why) {
    }
}
