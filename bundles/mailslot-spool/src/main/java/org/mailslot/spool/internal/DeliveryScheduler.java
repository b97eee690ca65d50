package org.mailslot.spool.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.queue.AttemptOutcome;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.Lease;
import org.mailslot.api.queue.LeaseLostException;
import org.mailslot.api.queue.QueueConsumer;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.api.spool.DeliveryStatistics;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.spool.internal.DsnWriter.Action;
import org.mailslot.spool.internal.DsnWriter.Notice;
import org.mailslot.support.maillog.MailLogEvent;
import org.mailslot.support.maillog.MailLogEvent.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the queue holds: each due message is leased from the {@link QueueStore} by one
 * worker, run through the outbound pipeline, and its pending recipients are delivered — local
 * domains to Maildirs, the rest grouped by route through the {@link MailTransport}. Temporary
 * failures are retried with exponential backoff until the give-up age; permanent failures and
 * expiry are reported to the sender in a DSN, never for a message with the null reverse path.
 * What an attempt came to goes back to the store as one {@link AttemptOutcome}; the scheduler
 * keeps nothing of a message between attempts.
 */
final class DeliveryScheduler implements QueueConsumer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);
    static final String MISSING_STAGE = AttemptPlanner.MISSING_STAGE;
    static final String NO_TRANSPORT = AttemptPlanner.NO_TRANSPORT;
    static final String NO_ROUTE = AttemptPlanner.NO_ROUTE;
    static final String LOCAL_FAILURE = "451 4.3.0 local delivery failed: ";
    private static final String LOCAL_DELIVERED = "250 2.0.0 delivered to the local Maildir";
    private static final String LOCAL = "local";
    /** The enhanced status of mail for a destination that is not tried for now, as Postfix's dead destinations. */
    private static final String SUSPENDED_STATUS = "4.4.1";

    /** A processor with the name the operator sees in a deferral. */
    record NamedProcessor(String name, MessageProcessor processor) {
    }

    private final QueueStore store;
    private final Settings settings;
    private final Supplier<MailTransport> transport;
    private final Maildir maildir;
    private final LocalMailboxes mailboxes;
    private final Clock clock;
    private final Destinations destinations;
    private final DeliveryCounters counters = new DeliveryCounters();
    private final AttemptPlanner planner;
    private final SenderNotices notices;
    private final DeliveryLog deliveryLog;
    /** Messages with a local recipient: workers of their own, so no remote destination can hold them up. */
    private final Workers local;
    /** Messages for remote destinations only, and the remote part of a message whose local part is done. */
    private final Workers remote;
    private final ScheduledExecutorService dispatcher;
    /** Records local deliveries once their Maildirs' fsyncs end, so that no worker waits for those. */
    private final ExecutorService recorder;
    /** Attempts waiting for the recorder. */
    private final Set<CompletableFuture<Void>> recording = ConcurrentHashMap.newKeySet();
    private final AtomicInteger wakeups = new AtomicInteger();
    /** Whether a dispatch left due messages behind because every worker was taken. */
    private final AtomicBoolean backlog = new AtomicBoolean();
    private final AutoCloseable attachment;
    private volatile boolean started;

    DeliveryScheduler(QueueStore store, Settings settings, Supplier<MailTransport> transport,
            Supplier<List<NamedProcessor>> processors, Maildir maildir, Clock clock) {
        this(store, settings, transport, processors, maildir, settings.localMailboxes(maildir, () -> null), clock);
    }

    DeliveryScheduler(QueueStore store, Settings settings, Supplier<MailTransport> transport,
            Supplier<List<NamedProcessor>> processors, Maildir maildir, LocalMailboxes mailboxes, Clock clock) {
        this.mailboxes = mailboxes;
        this.store = store;
        this.settings = settings;
        this.transport = transport;
        this.maildir = maildir;
        this.clock = clock;
        this.destinations = new Destinations(settings.perDestination());
        this.planner = new AttemptPlanner(settings, processors, destinations);
        this.notices = new SenderNotices(settings, clock);
        this.deliveryLog = new DeliveryLog(clock);
        this.local = new Workers(Lane.LOCAL, "mailslot-local-delivery-", settings.localDeliveryThreads());
        this.remote = new Workers(Lane.REMOTE, "mailslot-delivery-", settings.deliveryThreads());
        ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "mailslot-dispatcher"));
        scheduled.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.dispatcher = scheduled;
        this.recorder = Executors.newSingleThreadExecutor(r -> daemon(r, "mailslot-local-recorder"));
        this.attachment = store.attach(this);
    }

    /** The workers of a lane; its due messages wait in the store. */
    private static final class Workers {

        final Lane lane;
        final int threads;
        final ExecutorService workers;
        /** Attempts handed to the workers and not yet finished. */
        final AtomicInteger inFlight = new AtomicInteger();

        Workers(Lane lane, String threadName, int threads) {
            this.lane = lane;
            this.threads = threads;
            AtomicInteger threadNumber = new AtomicInteger();
            this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> daemon(r, threadName + threadNumber.incrementAndGet()));
        }

        boolean hasRoom() {
            return inFlight.get() < threads;
        }
    }

    /** Local while a recipient in a local domain is pending. */
    @Override
    public Lane laneOf(List<Recipient> pending) {
        for (Recipient recipient : pending) {
            if (settings.isLocal(recipient.address().normalizedDomain())) {
                return Lane.LOCAL;
            }
        }
        return Lane.REMOTE;
    }

    private Workers workers(Lane lane) {
        return lane == Lane.LOCAL ? local : remote;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts looking for due messages every {@code poll} and whenever woken. */
    void start(Duration poll) {
        started = true;
        dispatcher.scheduleWithFixedDelay(this::dispatchQuietly, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Looks for due messages now, in the background. */
    void wake() {
        if (started && wakeups.getAndIncrement() == 0) {
            try {
                dispatcher.execute(() -> {
                    wakeups.set(0);
                    dispatchQuietly();
                });
            } catch (RejectedExecutionException stopping) {
                wakeups.set(0);
            }
        }
    }

    /**
     * A message was committed (in the committer's thread, right after the 250), released or flushed:
     * a worker with room takes it now, else the next look does.
     */
    @Override
    public void due(Lane lane) {
        Workers workers = workers(lane);
        if (started && workers.hasRoom()) {
            dispatchDue(workers, workers.threads);
        } else {
            backlog.set(true);
        }
    }

    /** @return the attempt, complete once its remote part (if handed on) is done too; null if not started */
    private CompletableFuture<Void> submit(Lease lease, Workers lane) {
        lane.inFlight.incrementAndGet();
        try {
            return CompletableFuture.supplyAsync(() -> attempt(lease, lane), lane.workers).thenCompose(rest -> rest);
        } catch (RejectedExecutionException stopping) {
            lane.inFlight.decrementAndGet();
            lease.putBack();
            return null;
        }
    }

    private void dispatchQuietly() {
        try {
            // No more claims than free workers: a message whose destination is busy would otherwise be
            // handed to a worker again after every delivery, however long the queue for it.
            dispatchDue(local, local.threads);
            dispatchDue(remote, remote.threads);
        } catch (RuntimeException e) {
            LOG.error("Dispatching deliveries failed", e);
        }
    }

    /** Starts an attempt for every due message; @return a future per attempt started */
    List<CompletableFuture<Void>> dispatchDue() {
        List<CompletableFuture<Void>> started = new ArrayList<>(dispatchDue(local, Integer.MAX_VALUE));
        started.addAll(dispatchDue(remote, Integer.MAX_VALUE));
        return started;
    }

    /** Starts attempts for the lane's due messages, first due first, while fewer than {@code capacity} are under way. */
    private List<CompletableFuture<Void>> dispatchDue(Workers lane, int capacity) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        while (lane.inFlight.get() < capacity) {
            Optional<Lease> next = store.take(lane.lane, settings.leaseTime());
            if (next.isEmpty()) {
                return started;
            }
            CompletableFuture<Void> attempt = submit(next.get(), lane);
            if (attempt != null) {
                started.add(attempt);
            }
        }
        // Perhaps more are due: the next attempt to end looks again.
        backlog.set(true);
        return started;
    }

    /** Runs every due message's attempt and waits for them all; for tests and {@code flush}. */
    void runDue() {
        CompletableFuture.allOf(dispatchDue().toArray(CompletableFuture[]::new)).join();
    }

    /** Makes the messages waiting for a transport due: one has come. */
    void transportArrived() {
        destinations.resumeAll();
        store.dueNow(WaitReason.NO_TRANSPORT);
        wake();
    }

    /** Lets mail for destinations that did not answer be tried again before their suspension ends. */
    void resumeDestinations() {
        destinations.resumeAll();
    }

    /** Makes the messages waiting for a required pipeline stage due: a processor has come. */
    void processorArrived() {
        arrived(WaitReason.MISSING_PIPELINE_STAGE);
    }

    /** Makes the messages waiting for what came due (those under way, when their attempt ends waiting for it). */
    void arrived(WaitReason reason) {
        store.dueNow(reason);
        wake();
    }

    /** @return the rest of the attempt: done, or its remote part handed on to the remote lane */
    private CompletableFuture<Void> attempt(Lease lease, Workers lane) {
        Progress progress = new Progress(lease);
        Slots slots = new Slots(destinations, this::wake);
        // Whatever way the attempt ends, no slot outlives it.
        return step(progress, lane, () -> deliver(progress, slots, lane)).whenComplete((done, failed) -> slots.releaseAll());
    }

    /**
     * Runs one step of an attempt on the lane's worker; the step ends the lease, unless it handed the
     * attempt on. One that fails unexpectedly ends it with what it found out so far.
     */
    private CompletableFuture<Void> step(Progress progress, Workers lane, Supplier<Step> work) {
        Step step = Step.PROGRESSED;
        try {
            step = guarded(progress, work);
        } finally {
            lane.inFlight.decrementAndGet();
            // Only after progress: a message that found its destination busy waits for that destination's
            // release (which wakes the dispatcher), instead of spinning through the workers; a release while
            // it was still leased found nothing to take, so it looks again now.
            if (step instanceof Busy busy ? destinations.releases() != busy.releasesSeen() : backlog.getAndSet(false)) {
                wake();
            }
        }
        return rest(step);
    }

    /** Runs a step of an attempt; @return how it ended, {@link Step#PROGRESSED} if it failed unexpectedly */
    private Step guarded(Progress progress, Supplier<Step> work) {
        Step step = Step.PROGRESSED;
        try {
            step = work.get();
        } catch (RuntimeException e) {
            LOG.error("Delivery of {} failed unexpectedly", progress.id, e);
            if (!progress.ended()) {
                progress.attempted();
                end(progress, clock.instant().plus(settings.backoff(progress.attempts())),
                        new Waiting(WaitReason.INTERNAL_ERROR, "internal error: " + e), true);
            }
        } finally {
            if (!(step instanceof HandedOn) && !progress.ended()) {
                LOG.error("The attempt of {} ended without an outcome; it stays due", progress.id);
                progress.putBack();
            }
        }
        return step;
    }

    private static CompletableFuture<Void> rest(Step step) {
        return step instanceof HandedOn handedOn ? handedOn.rest() : CompletableFuture.completedFuture(null);
    }

    /** How a step of an attempt ended. */
    private sealed interface Step permits Step.Progressed, Busy, HandedOn {
        Step PROGRESSED = new Progressed();

        record Progressed() implements Step {
        }
    }

    /** Nothing was tried: every destination was busy when it was looked at, after {@code releasesSeen} releases. */
    private record Busy(long releasesSeen) implements Step {
    }

    /**
     * The rest of the attempt runs elsewhere, which ends it: the remote part on the remote lane, or
     * the recording of the local part once its Maildirs' fsyncs end.
     */
    private record HandedOn(CompletableFuture<Void> rest) implements Step {
    }

    /** One attempt: plan it, deliver the local part, then the remote part (on the remote lane if this is the local one). */
    private Step deliver(Progress entry, Slots slots, Workers lane) {
        long releases = destinations.releases();
        List<Recipient> pending = entry.pending();
        if (pending.isEmpty()) {
            end(entry, clock.instant(), null, true);
            return Step.PROGRESSED;
        }
        MailTransport transport = this.transport.get();
        Instant taken = clock.instant();
        AttemptPlanner.Planning planning = planner.plan(entry, pending, transport, taken, slots);
        if (!(planning instanceof AttemptPlanner.Ready)) {
            slots.releaseAll();
        }
        if (planning instanceof AttemptPlanner.Busy) {
            // Not taken up: no line in the mail log, no state; it goes when a destination's delivery ends.
            finishAttempt(entry, false, true, null, false);
            return new Busy(releases);
        }
        if (planning instanceof AttemptPlanner.Waits waits) {
            // A message held for a missing stage neither uses up its retries nor expires.
            finishAttempt(entry, waits.attempted(), false, waits.why(), true);
            return Step.PROGRESSED;
        }
        deliveryLog.taken(entry);
        if (planning instanceof AttemptPlanner.Suspended suspended) {
            pending.forEach(r -> entry.defer(r.address(), WaitReason.DESTINATION_SUSPENDED, suspended.why().detail(), null));
            deliveryLog.unreached(entry, addresses(pending), taken, MailLogEvent.Status.DEFERRED, SUSPENDED_STATUS);
            finishAttempt(entry, true, false, suspended.why(), false);
            return Step.PROGRESSED;
        }
        if (planning instanceof AttemptPlanner.Refused refused) {
            refuse(entry, refused.envelope(), refused.code(), refused.why(), taken);
            return Step.PROGRESSED;
        }
        AttemptPlan plan = ((AttemptPlanner.Ready) planning).plan();
        // The pipeline has run: a later destination's slot would idle while the earlier deliveries run (a
        // stalled next hop's deadlines long); it is taken again when the attempt gets to it.
        plan.firstDestination().ifPresentOrElse(slots::keepOnly, slots::releaseAll);
        Run run = new Run(entry, plan, slots, transport, taken, releases);
        for (AttemptPlan.Unroutable unroutable : plan.waiting()) {
            entry.defer(unroutable.recipient().address(), unroutable.why().reason(), unroutable.why().detail(), null);
            deliveryLog.unreached(entry, List.of(unroutable.recipient().address()), taken, MailLogEvent.Status.DEFERRED, null);
            if (unroutable.why().reason() == WaitReason.NO_TRANSPORT) {
                run.attempted = true;
                run.tried = true;
            }
        }
        for (AttemptPlan.Copy copy : plan.copies()) {
            if (!copy.local().isEmpty()) {
                run.attempted = true;
                run.tried = true;
                for (Recipient recipient : copy.local()) {
                    deliverLocally(run, copy.envelope(), recipient, copy.message());
                }
            }
        }
        if (!run.syncing.isEmpty()) {
            return recordWhenSynced(run);
        }
        if (lane == local && plan.hasRemote()) {
            return handOn(run);
        }
        return deliverRemotely(run);
    }

    /** A message written into a Maildir, delivered once the fsync of its {@code new/} ends. */
    private record Syncing(Recipient recipient, DeliveryLog.Leg leg, Maildir.Written written) {
    }

    /**
     * The local recipients' messages are written; their outcomes are recorded once the fsyncs of
     * their Maildirs end (by the recorder, in the order they end), and the worker is free for the
     * next message meanwhile: it waited for one fsync, not two.
     */
    private Step recordWhenSynced(Run run) {
        CompletableFuture<?>[] synced = run.syncing.stream().map(s -> s.written().synced()).toArray(CompletableFuture[]::new);
        CompletableFuture<Void> recorded = CompletableFuture.allOf(synced).handle((done, failed) -> done)
                .thenComposeAsync(done -> rest(guarded(run.entry, () -> recordSynced(run))), recorder);
        recording.add(recorded);
        recorded.whenComplete((done, failed) -> recording.remove(recorded));
        return new HandedOn(recorded);
    }

    private Step recordSynced(Run run) {
        Progress entry = run.entry;
        for (Syncing syncing : run.syncing) {
            MailAddress address = syncing.recipient().address();
            Throwable failed = syncing.written().synced().handle((done, failure) -> failure).join();
            if (failed == null) {
                delivered(run, syncing.recipient(), syncing.leg());
            } else {
                deferLocally(entry, address, syncing.leg(), DirectorySyncs.failure(failed));
            }
        }
        return run.plan.hasRemote() ? handOn(run) : finish(run);
    }

    /**
     * An attempt's plan and what it has found out so far, carried from its local part to its
     * remote part when they run on different lanes.
     */
    private static final class Run {

        final Progress entry;
        final AttemptPlan plan;
        /** The destinations' slots taken for the plan. */
        final Slots slots;
        final MailTransport transport;
        /** When the attempt took the message up. */
        final Instant taken;
        /** Destinations' releases before the attempt looked at them. */
        final long releases;
        final List<Notice> failures = new ArrayList<>();
        final List<Notice> successes = new ArrayList<>();
        /** Local deliveries waiting for their Maildir's fsync. */
        final List<Syncing> syncing = new ArrayList<>();
        /** Recipients not tried: their destination's slots were all taken. */
        final List<Recipient> untried = new ArrayList<>();
        boolean attempted;
        boolean tried;
        boolean busy;

        Run(Progress entry, AttemptPlan plan, Slots slots, MailTransport transport, Instant taken, long releases) {
            this.entry = entry;
            this.plan = plan;
            this.slots = slots;
            this.transport = transport;
            this.taken = taken;
            this.releases = releases;
        }
    }

    /**
     * The local recipients are delivered; the remote ones wait for a remote worker (the message stays
     * claimed meanwhile), so a local worker never waits for a remote destination.
     */
    private Step handOn(Run run) {
        remote.inFlight.incrementAndGet();
        try {
            return new HandedOn(CompletableFuture.supplyAsync(
                    () -> step(run.entry, remote, () -> deliverRemotely(run)), remote.workers).thenCompose(rest -> rest));
        } catch (RejectedExecutionException stopping) {
            remote.inFlight.decrementAndGet();
            return finish(run);
        }
    }

    private Step deliverRemotely(Run run) {
        List<AttemptPlan.Copy> copies = run.plan.copies();
        for (int i = 0; i < copies.size(); i++) {
            for (AttemptPlan.Destination destination : copies.get(i).remote()) {
                deliver(run, copies.get(i), destination);
                if (!run.plan.delivers(destination.key(), i + 1)) {
                    run.slots.release(destination.key());
                }
            }
        }
        return finish(run);
    }

    /** One destination's recipients of one copy, unless the destination is suspended or its slots were taken. */
    private void deliver(Run run, AttemptPlan.Copy copy, AttemptPlan.Destination destination) {
        Progress entry = run.entry;
        if (!entry.lease.renew(settings.leaseTime())) {
            // Expired: the message is another attempt's by now, and this one's outcome will not count.
            return;
        }
        Optional<String> suspension = destinations.suspension(destination.key(), clock.instant());
        if (suspension.isPresent()) {
            run.attempted = true;
            destination.recipients().forEach(r -> entry.defer(r.address(), WaitReason.DESTINATION_SUSPENDED,
                    suspension.get(), null));
            deliveryLog.unreached(entry, addresses(destination.recipients()), run.taken, MailLogEvent.Status.DEFERRED,
                    SUSPENDED_STATUS);
            return;
        }
        // Taken at planning, or (a destination whose slots were taken then) now, as the pipeline has run anyway.
        if (!run.slots.take(destination.key())) {
            run.busy = true;
            run.untried.addAll(destination.recipients());
            return;
        }
        run.attempted = true;
        run.tried = true;
        try {
            String route = destination.route().name();
            Instant begun = clock.instant();
            long started = System.nanoTime();
            DeliveryResult result = run.transport.deliver(subset(copy.envelope(), destination.recipients()),
                    copy.message(), destination.route());
            counters.attempt(route, System.nanoTime() - started);
            record(run, route, destination.recipients(), result, begun);
            suspendIfUnanswered(destination.key(), result);
        } catch (RuntimeException e) {
            LOG.warn("Transport failed delivering {} over {}", entry.id, destination.key(), e);
            destination.recipients().forEach(r -> entry.defer(r.address(), WaitReason.INTERNAL_ERROR,
                    "transport error: " + e, null));
            deliveryLog.unreached(entry, addresses(destination.recipients()), run.taken, MailLogEvent.Status.DEFERRED, null);
        }
    }

    private Step finish(Run run) {
        Progress entry = run.entry;
        if (!run.failures.isEmpty()) {
            notices.bounce(entry, run.failures);
        }
        if (!run.successes.isEmpty()) {
            notices.reportSuccess(entry, run.successes);
        }
        if (entry.isFinished()) {
            end(entry, clock.instant(), null, true);
            return Step.PROGRESSED;
        }
        Waiting lastError = firstWaiting(entry);
        if (run.attempted && run.untried.containsAll(entry.pending())) {
            // What is left was not tried (its destinations' slots were taken): it goes when one frees, not after a backoff.
            entry.attempted();
            end(entry, clock.instant(), lastError, run.tried);
            return new Busy(run.releases);
        }
        // Deferred only because destinations are suspended: nothing was tried that a crash could forget.
        finishAttempt(entry, run.attempted, run.busy && !run.attempted, lastError, run.tried);
        return run.attempted || !run.busy ? Step.PROGRESSED : new Busy(run.releases);
    }

    /**
     * When no host or port of the destination answered for any recipient, its other mail waits out
     * the first retry interval (Postfix's minimal_backoff_time) instead of connecting in vain.
     */
    private void suspendIfUnanswered(String destination, DeliveryResult result) {
        List<RecipientOutcome> outcomes = result.recipients();
        boolean unanswered = !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.status() == DeliveryStatus.TEMPORARY_FAILURE
                && o.failure().orElse(null) == FailureCause.NO_USABLE_SERVER);
        if (unanswered) {
            RecipientOutcome first = outcomes.get(0);
            destinations.suspend(destination, clock.instant().plus(settings.retryInitial()),
                    first.text() + (first.host().isEmpty() ? "" : " (" + first.host() + ")"));
        }
    }

    /** A processor refused the message for these recipients: they fail now, and the sender hears of it. */
    private void refuse(Progress entry, Envelope envelope, String code, String why, Instant taken) {
        List<Notice> failures = new ArrayList<>();
        for (Recipient recipient : envelope.recipients()) {
            entry.record(recipient.address(), Status.FAILED, code + " " + why);
            failures.add(Notice.failed(recipient, code, "X-Mailslot", code + " " + why, ""));
        }
        entry.attempted();
        deliveryLog.unreached(entry, addresses(envelope.recipients()), taken, MailLogEvent.Status.BOUNCED, code);
        notices.bounce(entry, failures);
        // The other copies' recipients, if any, are tried again at once, as they were due.
        end(entry, entry.start().nextAttempt(), entry.start().waiting().orElse(null), true);
    }

    /** @return what the first pending recipient waits for, the message's wait reason */
    private static Waiting firstWaiting(Progress entry) {
        return entry.pending().stream().map(r -> entry.waitingOf(r.address()).orElse(null))
                .filter(waiting -> waiting != null).findFirst().orElse(null);
    }

    private static List<MailAddress> addresses(List<Recipient> recipients) {
        return recipients.stream().map(Recipient::address).toList();
    }

    /** @return the figures of every route so far */
    List<DeliveryStatistics.RouteStatistics> statistics() {
        return counters.snapshot();
    }

    /** @return the destinations suspended now */
    List<String> suspendedDestinations() {
        return destinations.suspended(clock.instant());
    }

    /**
     * Into the recipient's Maildir, if the recipient is known (the listener checked at RCPT; this is
     * the second line, for mail that came another way or a user removed since) and the message fits
     * in the mailbox: an unknown user fails with 550 5.1.1 and a mailbox the message would take past
     * {@code mailbox.size.limit} with 552 5.2.2, both permanently, as Postfix's local and virtual
     * delivery agents do.
     */
    private void deliverLocally(Run run, Envelope envelope, Recipient recipient, MessageSource message) {
        Progress entry = run.entry;
        MailAddress address = recipient.address();
        Instant begun = clock.instant();
        DeliveryLog.Leg leg = new DeliveryLog.Leg(Delivery.LOCAL_RELAY, run.taken, begun, begun);
        if (!mailboxes.known(address)) {
            fail(run, recipient, leg, "550", "5.1.1", "<" + address + ">: User unknown in local recipient table");
            return;
        }
        try {
            Maildir.Written written = maildir.write(address, envelope.reversePath(), message, mailboxes.roomLeft(address));
            // In the mailbox from now on, whatever its fsync: the next message's room counts it.
            mailboxes.delivered(address, written.delivered().octets());
            run.syncing.add(new Syncing(recipient, leg, written));
        } catch (Maildir.MailboxFull e) {
            fail(run, recipient, leg, "552", "5.2.2", e.getMessage() + " (mailbox.size.limit "
                    + mailboxes.sizeLimit() + " octets)");
        } catch (IOException | RuntimeException e) {
            deferLocally(entry, address, leg, e);
        }
    }

    private void delivered(Run run, Recipient recipient, DeliveryLog.Leg leg) {
        MailAddress address = recipient.address();
        run.entry.record(address, Status.DELIVERED, LOCAL_DELIVERED);
        counters.outcome(DeliveryStatistics.LOCAL_ROUTE, Status.DELIVERED);
        deliveryLog.outcome(run.entry, address, leg, MailLogEvent.Status.SENT, "2.0.0", LOCAL_DELIVERED);
        if (recipient.notifyOn().contains(DsnNotify.SUCCESS)) {
            run.successes.add(new Notice(recipient, Action.DELIVERED, "2.0.0", "X-Mailslot", "delivered to the local Maildir", ""));
        }
    }

    private void deferLocally(Progress entry, MailAddress address, DeliveryLog.Leg leg, Exception e) {
        LOG.warn("Local delivery of {} to {} failed: {}", entry.id, address, e.toString());
        entry.defer(address, WaitReason.LOCAL_DELIVERY_FAILED, LOCAL_FAILURE + e.getMessage(), "4.3.0");
        counters.outcome(DeliveryStatistics.LOCAL_ROUTE, Status.DEFERRED);
        deliveryLog.outcome(entry, address, leg, MailLogEvent.Status.DEFERRED, "4.3.0", LOCAL_FAILURE + e.getMessage());
    }

    private void fail(Run run, Recipient recipient, DeliveryLog.Leg leg, String code, String status, String text) {
        String reply = code + " " + status + " " + text;
        run.entry.record(recipient.address(), Status.FAILED, reply);
        counters.outcome(DeliveryStatistics.LOCAL_ROUTE, Status.FAILED);
        deliveryLog.outcome(run.entry, recipient.address(), leg, MailLogEvent.Status.BOUNCED, status, reply);
        run.failures.add(Notice.failed(recipient, status, "X-Mailslot", reply, ""));
    }

    private void record(Run run, String route, List<Recipient> recipients, DeliveryResult result, Instant begun) {
        Progress entry = run.entry;
        List<Notice> failures = run.failures;
        List<Notice> successes = run.successes;
        for (Recipient recipient : recipients) {
            Optional<RecipientOutcome> found = result.recipients().stream()
                    .filter(o -> o.recipient().equals(recipient.address())).findFirst();
            if (found.isEmpty()) {
                entry.defer(recipient.address(), WaitReason.INTERNAL_ERROR, "the transport reported no outcome", null);
                counters.outcome(route, Status.DEFERRED);
                deliveryLog.unreached(entry, List.of(recipient.address()), run.taken, MailLogEvent.Status.DEFERRED, null);
                continue;
            }
            RecipientOutcome outcome = found.get();
            String reply = ((outcome.replyCode() == 0 ? "" : outcome.replyCode() + " ")
                    + (outcome.enhancedCode().isEmpty() ? "" : outcome.enhancedCode() + " ") + outcome.text()).trim();
            deliveryLog.outcome(entry, recipient.address(), DeliveryLog.Leg.over(Delivery.relay(outcome.host(), outcome.port()),
                    run.taken, begun, result.attempts()), switch (outcome.status()) {
                        case ACCEPTED -> MailLogEvent.Status.SENT;
                        case TEMPORARY_FAILURE -> MailLogEvent.Status.DEFERRED;
                        case PERMANENT_FAILURE -> MailLogEvent.Status.BOUNCED;
                    }, outcome.enhancedCode(), reply + outcome.tlsPolicy().map(policy -> " " + policy).orElse(""));
            if (!outcome.host().isEmpty()) {
                reply += " (" + outcome.host() + (outcome.port() == 0 ? "" : ":" + outcome.port()) + ")";
            }
            if (outcome.tlsPolicy().isPresent()) {
                reply += " " + outcome.tlsPolicy().get();
            }
            Status counted = switch (outcome.status()) {
                case ACCEPTED -> Status.DELIVERED;
                case TEMPORARY_FAILURE -> Status.DEFERRED;
                case PERMANENT_FAILURE -> Status.FAILED;
            };
            counters.outcome(route, counted);
            switch (outcome.status()) {
                case ACCEPTED -> {
                    entry.record(recipient.address(), Status.DELIVERED, reply);
                    // A next hop with DSN took NOTIFY over; one without leaves the notice to us.
                    if (outcome.withoutDsn() && recipient.notifyOn().contains(DsnNotify.SUCCESS)) {
                        successes.add(new Notice(recipient, Action.RELAYED, outcome.enhancedCode().isEmpty() ? "2.0.0"
                                : outcome.enhancedCode(), "smtp", reply, outcome.host()));
                    }
                }
                case TEMPORARY_FAILURE -> entry.defer(recipient.address(), waitReasonOf(outcome), reply,
                        smtpStatusOf(outcome));
                case PERMANENT_FAILURE -> {
                    entry.record(recipient.address(), Status.FAILED, reply);
                    String status = outcome.enhancedCode().isEmpty() ? "5.0.0" : outcome.enhancedCode();
                    String diagnostic = ((outcome.replyCode() == 0 ? "" : outcome.replyCode() + " ")
                            + (outcome.enhancedCode().isEmpty() ? "" : outcome.enhancedCode() + " ") + outcome.text()).trim();
                    failures.add(Notice.failed(recipient, status, outcome.replyCode() == 0 ? "X-Mailslot" : "smtp",
                            diagnostic, outcome.host()));
                }
            }
        }
    }

    private static WaitReason waitReasonOf(RecipientOutcome outcome) {
        FailureCause cause = outcome.failure().orElse(null);
        if (cause == FailureCause.ROUTE_UNAVAILABLE) {
            return WaitReason.NO_ROUTE;
        }
        return cause == FailureCause.TLS_POLICY ? WaitReason.TLS_POLICY : WaitReason.DEFERRED_BY_NEXT_HOP;
    }

    /** @return the enhanced status of a next hop's 4xx reply ("" if it had none), or null when no 4xx reply decided */
    private static String smtpStatusOf(RecipientOutcome outcome) {
        if (outcome.replyCode() < 400 || outcome.replyCode() >= 500) {
            return null;
        }
        return outcome.enhancedCode().startsWith("4.") ? outcome.enhancedCode() : "";
    }

    /**
     * @param persist whether to write the new state: not when nothing was tried and it only moves the
     *     next attempt on (a crash then means an earlier attempt, never a lost message)
     */
    private void finishAttempt(Progress entry, boolean attempted, boolean onlyBusy, Waiting lastError, boolean persist) {
        Instant now = clock.instant();
        if (onlyBusy) {
            // Nothing was tried: it stays due and goes when a destination frees up.
            if (entry.changed()) {
                end(entry, entry.start().nextAttempt(), entry.start().waiting().orElse(null), false);
            } else {
                entry.putBack();
            }
            return;
        }
        if (attempted) {
            entry.attempted();
        }
        Instant expiry = entry.received.plus(settings.giveUp());
        if (attempted && !now.isBefore(expiry)) {
            expire(entry, lastError);
            return;
        }
        Instant next = now.plus(settings.backoff(Math.max(1, entry.attempts())));
        if (attempted && next.isAfter(expiry)) {
            next = expiry;
        }
        boolean noticed = attempted && notices.reportDelay(entry, now);
        end(entry, next, lastError, persist || noticed);
    }

    private void expire(Progress entry, Waiting lastError) {
        List<Notice> failures = new ArrayList<>();
        String why = "delivery time expired after " + settings.giveUp()
                + (lastError == null ? "" : "; last error: " + lastError.detail());
        Instant now = clock.instant();
        for (Recipient recipient : entry.pending()) {
            entry.record(recipient.address(), Status.FAILED, why);
            deliveryLog.outcome(entry, recipient.address(), DeliveryLog.Leg.unreached(now), MailLogEvent.Status.EXPIRED,
                    "4.4.7", why);
            failures.add(Notice.failed(recipient, "4.4.7", "X-Mailslot", why, ""));
        }
        notices.bounce(entry, failures);
        end(entry, clock.instant(), lastError, true);
    }

    /**
     * Ends the lease with the attempt's outcome and the notices it owes the sender, as one change in
     * the store. Notices the store could not queue are undone (a failure's recipients wait to try
     * again) and the outcome recorded without them.
     *
     * @param next when the message is due again, if it is not finished
     * @param waiting why it waits, or null
     * @param durable whether a crash must not forget the outcome
     */
    private void end(Progress entry, Instant next, Waiting waiting, boolean durable) {
        List<SenderNotices.Owed> owed = entry.owed();
        try {
            entry.finish(new AttemptOutcome(entry.state(next, waiting),
                    owed.stream().map(SenderNotices.Owed::message).toList(), durable));
        } catch (LeaseLostException e) {
            LOG.warn("The lease on {} was lost before its attempt was recorded (it will be tried again): {}", entry.id,
                    e.getMessage());
        } catch (IOException e) {
            if (owed.isEmpty()) {
                LOG.warn("Could not record the attempt of {} (it will be tried again): {}", entry.id, e.getMessage());
                entry.putBack();
                return;
            }
            notices.notQueued(entry, e.getMessage());
            Waiting why = firstWaiting(entry);
            end(entry, clock.instant().plus(settings.backoff(Math.max(1, entry.attempts()))), why == null ? waiting : why,
                    true);
        }
    }

    static Envelope subset(Envelope envelope, List<Recipient> recipients) {
        if (recipients.equals(envelope.recipients())) {
            return envelope;
        }
        return envelope.onlyFor(Set.copyOf(recipients)::contains);
    }

    @Override
    public void close() {
        started = false;
        try {
            attachment.close();
        } catch (Exception e) {
            LOG.warn("Detaching from the queue store failed: {}", e.toString());
        }
        dispatcher.shutdownNow();
        local.workers.shutdown();
        try {
            if (!local.workers.awaitTermination(30, TimeUnit.SECONDS)) {
                local.workers.shutdownNow();
            }
            // Local deliveries written and not yet recorded are recorded (or handed to the remote lane) first.
            try {
                CompletableFuture.allOf(recording.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Local deliveries still unrecorded at the stop are delivered again at the next start: {}",
                        e.toString());
            }
            recorder.shutdown();
            remote.workers.shutdown();
            if (!remote.workers.awaitTermination(30, TimeUnit.SECONDS)) {
                remote.workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            local.workers.shutdownNow();
            recorder.shutdownNow();
            remote.workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
