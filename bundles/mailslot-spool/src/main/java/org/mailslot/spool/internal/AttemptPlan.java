package org.mailslot.spool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.transport.Route;

/**
 * What one attempt of a message delivers, decided before anything is delivered: the copies the
 * pipeline left (one, or one per group of recipients that must get different octets), each with
 * its local recipients and its remote ones grouped by destination with the route each was
 * resolved to (once per attempt), and the recipients that cannot go this time.
 *
 * @param copies the copies, each to its own recipients
 * @param waiting the recipients that wait without a delivery (no transport, no route), with why
 */
record AttemptPlan(List<Copy> copies, List<Unroutable> waiting) {

    AttemptPlan {
        copies = List.copyOf(copies);
        waiting = List.copyOf(waiting);
    }

    /**
     * One copy of the message and where it goes.
     *
     * @param envelope the copy's envelope, with every recipient of the copy
     * @param message the copy's octets
     * @param local the recipients of local domains, for the Maildirs
     * @param remote the other recipients, by destination, in the order first seen
     */
    record Copy(Envelope envelope, MessageSource message, List<Recipient> local, List<Destination> remote) {

        Copy {
            local = List.copyOf(local);
            remote = List.copyOf(remote);
        }
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

    /** @return whether a copy has a remote recipient */
    boolean hasRemote() {
        return copies.stream().anyMatch(copy -> !copy.remote().isEmpty());
    }

    /** @return the destination the attempt delivers to first, if it has a remote recipient */
    Optional<String> firstDestination() {
        return copies.stream().flatMap(copy -> copy.remote().stream()).map(Destination::key).findFirst();
    }

    /** @return whether a copy from the {@code from}th on has recipients at the destination */
    boolean delivers(String destination, int from) {
        return copies.subList(Math.min(from, copies.size()), copies.size()).stream()
                .anyMatch(copy -> copy.remote().stream().anyMatch(remote -> remote.key().equals(destination)));
    }

    /** @return every recipient of the attempt, copy by copy (those that wait among them) */
    List<Recipient> recipients() {
        List<Recipient> all = new ArrayList<>();
        copies.forEach(copy -> all.addAll(copy.envelope().recipients()));
        return all;
    }
}
