package org.mailslot.spool.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.ProcessingResult.Copy;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.api.transport.Route;
import org.mailslot.spool.internal.AttemptPlan.Destination;
import org.mailslot.spool.internal.AttemptPlan.Unroutable;
import org.mailslot.spool.internal.DeliveryScheduler.NamedProcessor;

/**
 * Decides what one attempt of a message does: routes its pending recipients (once), skips the
 * attempt when every destination is suspended, takes a {@code per.destination} slot of each other
 * destination (and skips the attempt when it can take none), runs the outbound pipeline (over each
 * copy a stage left), and groups each copy's recipients by destination. Delivers nothing and records
 * nothing; the slots it took are the attempt's, which gives them back whatever the planning came to.
 *
 * <p>A stage that refuses or defers one copy decides for the whole attempt; the recipients of the
 * other copies are tried again at the next one.
 */
final class AttemptPlanner {

    static final String MISSING_STAGE = "waiting for the required pipeline stage ";
    static final String NO_TRANSPORT = "no MailTransport service: waiting for mailslot-transport";
    static final String NO_ROUTE = "no route: ";

    /** How the planning of an attempt ended. */
    sealed interface Planning {
    }

    /** Every recipient waits for a suspended destination: nothing to gain from the pipeline or a connection. */
    record Suspended(Waiting why) implements Planning {
    }

    /** Every recipient's destination has its {@code per.destination} slots taken: the message stays due. */
    record Busy() implements Planning {
    }

    /**
     * The message waits before any delivery.
     *
     * @param attempted whether this counts as an attempt (a processor deferred it), or not (a stage is missing)
     */
    record Waits(Waiting why, boolean attempted) implements Planning {
    }

    /** A processor refused the message for good, for the recipients of {@code envelope}. */
    record Refused(Envelope envelope, String code, String why) implements Planning {
    }

    record Ready(AttemptPlan plan) implements Planning {
    }

    /** A pending recipient's route, or why it has none. */
    private record Routed(Route route, String destination, String error) {
    }

    private final Settings settings;
    private final Supplier<List<NamedProcessor>> processors;
    private final Destinations destinations;

    AttemptPlanner(Settings settings, Supplier<List<NamedProcessor>> processors, Destinations destinations) {
        this.settings = settings;
        this.processors = processors;
        this.destinations = destinations;
    }

    /** @param slots where the destinations' slots the attempt takes go (before any stage runs) */
    Planning plan(Progress entry, List<Recipient> pending, MailTransport transport, Instant now, Slots slots) {
        Map<MailAddress, Routed> routes = route(transport, pending);
        Optional<Waiting> suspended = suspendedForAll(routes, pending, now);
        if (suspended.isPresent()) {
            return new Suspended(suspended.get());
        }
        if (!takeSlots(routes, pending, now, slots)) {
            return new Busy();
        }
        Envelope envelope = DeliveryScheduler.subset(entry.envelope, pending);
        MessageSource message = entry.body();
        List<NamedProcessor> stages = processors.get();
        Optional<String> missing = settings.requiredStages().stream()
                .filter(name -> stages.stream().noneMatch(stage -> stage.name().equals(name))).findFirst();
        if (missing.isPresent()) {
            return new Waits(new Waiting(WaitReason.MISSING_PIPELINE_STAGE,
                    MISSING_STAGE + missing.get() + " (is its bundle started?)"), false);
        }
        List<Copy> copies = List.of(new Copy(envelope, message));
        for (NamedProcessor named : stages) {
            List<Copy> next = new ArrayList<>(copies.size());
            // Each copy on its own: a later stage (a signature) sees the octets its recipients get.
            for (Copy copy : copies) {
                ProcessingResult result = process(named, copy.envelope(), copy.message());
                if (result.isRefused()) {
                    return new Refused(copy.envelope(), result.refusalCode().orElseThrow(),
                            named.name() + " refused the message: " + result.reason().orElse("refused"));
                }
                if (result.isDeferred()) {
                    return new Waits(new Waiting(result.waitReason().orElse(WaitReason.DEFERRED_BY_PROCESSOR),
                            result.reason().orElse("deferred")), true);
                }
                List<Copy> out = result.copies().isEmpty()
                        ? List.of(new Copy(result.envelope().orElse(copy.envelope()), result.message().orElse(copy.message())))
                        : result.copies();
                Set<MailAddress> allowed = copy.envelope().recipients().stream().map(Recipient::address)
                        .collect(Collectors.toSet());
                for (Copy changed : out) {
                    if (!changed.envelope().recipients().stream().map(Recipient::address).allMatch(allowed::contains)) {
                        return new Waits(new Waiting(WaitReason.DEFERRED_BY_PROCESSOR,
                                named.name() + " added recipients, which a processor may not do"), true);
                    }
                    if (!changed.envelope().recipients().isEmpty()) {
                        next.add(changed);
                    }
                }
            }
            copies = next;
        }
        return new Ready(group(copies, transport, routes));
    }

    private static ProcessingResult process(NamedProcessor named, Envelope envelope, MessageSource message) {
        ProcessingResult result;
        try {
            result = named.processor().process(envelope, message);
        } catch (IOException | RuntimeException e) {
            result = ProcessingResult.defer(named.name() + " failed: " + e.getMessage());
        }
        return result == null ? ProcessingResult.defer(named.name() + " returned no result") : result;
    }

    /** @return each remote recipient's route, resolved once for the whole attempt; empty without a transport */
    private Map<MailAddress, Routed> route(MailTransport transport, List<Recipient> pending) {
        Map<MailAddress, Routed> routes = new HashMap<>();
        if (transport == null) {
            return routes;
        }
        for (Recipient recipient : pending) {
            String domain = recipient.address().normalizedDomain();
            if (settings.isLocal(domain)) {
                continue;
            }
            try {
                Route route = transport.routeFor(recipient.address());
                routes.put(recipient.address(), new Routed(route, destinationOf(route, domain), null));
            } catch (RuntimeException e) {
                routes.put(recipient.address(), new Routed(null, null, NO_ROUTE + e.getMessage()));
            }
        }
        return routes;
    }

    /**
     * @return the reason when every recipient waits for a destination that is suspended; empty when
     *     one may be tried (or is local, or has no route: the full attempt deals with those)
     */
    private Optional<Waiting> suspendedForAll(Map<MailAddress, Routed> routes, List<Recipient> pending, Instant now) {
        String reason = null;
        for (Recipient recipient : pending) {
            Routed routed = routes.get(recipient.address());
            if (routed == null || routed.route() == null) {
                return Optional.empty();
            }
            Optional<String> suspension = destinations.suspension(routed.destination(), now);
            if (suspension.isEmpty()) {
                return Optional.empty();
            }
            reason = reason == null ? suspension.get() : reason;
        }
        return reason == null ? Optional.empty() : Optional.of(new Waiting(WaitReason.DESTINATION_SUSPENDED, reason));
    }

    /**
     * Takes a slot of each destination that is not suspended, so that the pipeline runs only for what
     * this attempt will deliver. A message with a local recipient takes none: it is planned for that
     * one anyway, and its remote part takes its slots when it gets to them, not for the time of the
     * Maildirs' fsyncs.
     *
     * @return whether the attempt has anything to do: false when every recipient's destination has its
     *     slots taken (one that frees up wakes the dispatcher)
     */
    private boolean takeSlots(Map<MailAddress, Routed> routes, List<Recipient> pending, Instant now, Slots slots) {
        if (pending.stream().anyMatch(recipient -> settings.isLocal(recipient.address().normalizedDomain()))) {
            return true;
        }
        boolean anything = pending.isEmpty();
        for (Recipient recipient : pending) {
            Routed routed = routes.get(recipient.address());
            if (routed == null || routed.route() == null || destinations.suspension(routed.destination(), now).isPresent()
                    || slots.take(routed.destination())) {
                anything = true;
            }
        }
        return anything;
    }

    private AttemptPlan group(List<Copy> copies, MailTransport transport, Map<MailAddress, Routed> routes) {
        List<AttemptPlan.Copy> planned = new ArrayList<>(copies.size());
        List<Unroutable> waiting = new ArrayList<>();
        for (Copy copy : copies) {
            planned.add(group(copy, transport, routes, waiting));
        }
        return new AttemptPlan(planned, waiting);
    }

    private AttemptPlan.Copy group(Copy copy, MailTransport transport, Map<MailAddress, Routed> routes,
            List<Unroutable> waiting) {
        Envelope envelope = copy.envelope();
        List<Recipient> local = new ArrayList<>();
        Map<String, List<Recipient>> byDestination = new LinkedHashMap<>();
        Map<String, Route> routeOf = new HashMap<>();
        for (Recipient recipient : envelope.recipients()) {
            Routed routed = routes.get(recipient.address());
            if (settings.isLocal(recipient.address().normalizedDomain())) {
                local.add(recipient);
            } else if (transport == null) {
                waiting.add(new Unroutable(recipient, new Waiting(WaitReason.NO_TRANSPORT, NO_TRANSPORT)));
            } else if (routed.route() == null) {
                waiting.add(new Unroutable(recipient, new Waiting(WaitReason.NO_ROUTE, routed.error())));
            } else {
                byDestination.computeIfAbsent(routed.destination(), k -> new ArrayList<>()).add(recipient);
                routeOf.putIfAbsent(routed.destination(), routed.route());
            }
        }
        List<Destination> remote = new ArrayList<>(byDestination.size());
        byDestination.forEach((key, recipients) -> remote.add(new Destination(key, routeOf.get(key), recipients)));
        return new AttemptPlan.Copy(envelope, copy.message(), local, remote);
    }

    static String destinationOf(Route route, String domain) {
        return route.kind() == Route.Kind.MX ? "mx:" + domain : "relay:" + route.name();
    }
}
