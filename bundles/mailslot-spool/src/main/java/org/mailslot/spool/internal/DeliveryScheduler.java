package org.mailslot.spool.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.spool.DeliveryStatistics;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.api.transport.MessageSource;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.spool.internal.DsnWriter.Action;
import org.mailslot.spool.internal.DsnWriter.Notice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the spool holds: each due message is claimed by one worker, run through the
 * outbound pipeline, and its pending recipients are delivered — local domains to Maildirs, the
 * rest grouped by route through the {@link MailTransport}. Temporary failures are retried with
 * exponential backoff until the give-up age; permanent failures and expiry are reported to the
 * sender in a DSN, never for a message with the null reverse path.
 */
final class DeliveryScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);
    /** The mail log: the distribution sends it to data/log/mail.log alone. */
    private static final Logger MAIL_LOG = LoggerFactory.getLogger("org.mailslot.mail");
    static final String MISSING_STAGE = "waiting for the required pipeline stage ";
    static final String NO_TRANSPORT = "no MailTransport service: waiting for mailslot-transport";
    /** The transport's enhanced code when no host or port of a destination answered. */
    private static final String NO_ANSWER = "4.4.1";
    private static final String LOCAL = "local";
    /** A temporary failure as the scheduler records the reply: code, then perhaps an enhanced code. */
    private static final Pattern REPLY = Pattern.compile("(4\\d{2})(?: (4\\.\\d{1,3}\\.\\d{1,3}))?");

    /** A processor with the name the operator sees in a deferral. */
    record NamedProcessor(String name, MessageProcessor processor) {
    }

    private final FileSpool spool;
    private final Settings settings;
    private final Supplier<MailTransport> transport;
    private final Supplier<List<NamedProcessor>> processors;
    private final Maildir maildir;
    private final Clock clock;
    private final Destinations destinations;
    private final DeliveryCounters counters = new DeliveryCounters();
    private final ExecutorService workers;
    private final ScheduledExecutorService dispatcher;
    private final DueQueue due = new DueQueue();
    private final AtomicInteger wakeups = new AtomicInteger();
    /** Attempts handed to the workers and not yet finished. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Whether a dispatch left due messages behind because every worker was taken. */
    private final java.util.concurrent.atomic.AtomicBoolean backlog = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean started;

    DeliveryScheduler(FileSpool spool, Settings settings, Supplier<MailTransport> transport,
            Supplier<List<NamedProcessor>> processors, Maildir maildir, Clock clock) {
        this.spool = spool;
        this.settings = settings;
        this.transport = transport;
        this.processors = processors;
        this.maildir = maildir;
        this.clock = clock;
        this.destinations = new Destinations(settings.perDestination());
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.deliveryThreads(), settings.deliveryThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "mailslot-delivery-" + threadNumber.incrementAndGet()));
        ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "mailslot-dispatcher"));
        scheduled.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.dispatcher = scheduled;
        spool.entries().forEach(due::put);
        spool.onCommit(this::dispatchNew);
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
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                wakeups.set(0);
            }
        }
    }

    private void dispatchNew(SpoolEntry entry) {
        if (started && inFlight.get() < settings.deliveryThreads() && entry.claimIfDue(clock.instant())) {
            submit(entry);
        } else {
            due.put(entry);
            backlog.set(true);
        }
    }

    /** The entry's next attempt or hold changed outside an attempt (flush, release, a service came). */
    void rescheduled(SpoolEntry entry) {
        due.put(entry);
        wake();
    }

    private CompletableFuture<Void> submit(SpoolEntry entry) {
        inFlight.incrementAndGet();
        try {
            return CompletableFuture.runAsync(() -> attempt(entry), workers);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            inFlight.decrementAndGet();
            entry.unclaim();
            due.put(entry);
            return null;
        }
    }

    private void dispatchQuietly() {
        try {
            // No more claims than free workers: a message whose destination is busy would otherwise be
            // handed to a worker again after every delivery, however long the queue for it.
            dispatchDue(settings.deliveryThreads());
        } catch (RuntimeException e) {
            LOG.error("Dispatching deliveries failed", e);
        }
    }

    /** Starts an attempt for every due message; @return a future per attempt started */
    List<CompletableFuture<Void>> dispatchDue() {
        return dispatchDue(Integer.MAX_VALUE);
    }

    /** Starts attempts for due messages, first due first, while fewer than {@code capacity} are under way. */
    private List<CompletableFuture<Void>> dispatchDue(int capacity) {
        Instant now = clock.instant();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        while (inFlight.get() < capacity) {
            Optional<SpoolEntry> next = due.takeDue(now);
            if (next.isEmpty()) {
                return started;
            }
            SpoolEntry entry = next.get();
            if (entry.claimIfDue(now)) {
                CompletableFuture<Void> attempt = submit(entry);
                if (attempt != null) {
                    started.add(attempt);
                }
            } else if (entry.isIdle()) {
                due.put(entry);
            }
            // Held, deleted or under way: whoever releases it or ends the attempt puts it back.
        }
        if (due.anyDue(now)) {
            backlog.set(true);
        }
        return started;
    }

    /** Runs every due message's attempt and waits for them all; for tests and {@code flush}. */
    void runDue() {
        CompletableFuture.allOf(dispatchDue().toArray(CompletableFuture[]::new)).join();
    }

    /** Makes the messages waiting for a transport due: one has come. */
    void transportArrived() {
        destinations.resumeAll();
        dueNowIfWaiting(NO_TRANSPORT::equals);
    }

    /** Lets mail for destinations that did not answer be tried again before their suspension ends. */
    void resumeDestinations() {
        destinations.resumeAll();
    }

    /** Makes the messages waiting for a required pipeline stage due: a processor has come. */
    void processorArrived() {
        dueNowIfWaiting(error -> error.startsWith(MISSING_STAGE));
    }

    private void dueNowIfWaiting(java.util.function.Predicate<String> waitingFor) {
        Instant now = clock.instant();
        for (SpoolEntry entry : spool.entries()) {
            if (entry.snapshot().lastError().filter(waitingFor).isPresent()) {
                entry.dueNow(now);
                due.put(entry);
            }
        }
        wake();
    }

    private void attempt(SpoolEntry entry) {
        boolean progressed = true;
        try {
            progressed = deliver(entry);
        } catch (RuntimeException e) {
            LOG.error("Delivery of {} failed unexpectedly", entry.id, e);
            entry.attempted();
            entry.schedule(clock.instant().plus(settings.backoff(entry.attempts())), "internal error: " + e);
            saveQuietly(entry);
        } finally {
            boolean deleted = entry.unclaim();
            if (deleted) {
                spool.remove(entry);
            } else if (spool.entry(entry.id).orElse(null) == entry) {
                due.put(entry);
            }
            inFlight.decrementAndGet();
            // Only after progress: a message that found its destination busy waits for that destination's
            // release (which wakes the dispatcher), instead of spinning through the workers.
            if (progressed && backlog.getAndSet(false)) {
                wake();
            }
        }
    }

    /** @return false when nothing was tried because every destination was busy */
    private boolean deliver(SpoolEntry entry) {
        List<Recipient> pending = entry.pending();
        if (pending.isEmpty()) {
            spool.remove(entry);
            return true;
        }
        Envelope envelope = subset(entry.envelope, pending);
        MailTransport transport = this.transport.get();
        Optional<String> suspended = suspendedForAll(transport, pending);
        if (suspended.isPresent()) {
            // Nothing to gain from the pipeline (which may read the whole message) or a connection.
            pending.forEach(r -> entry.record(r.address(), Status.DEFERRED, suspended.get()));
            logOutcomes(entry, envelope);
            finishAttempt(entry, true, false, suspended.get(), false);
            return true;
        }
        MessageSource message = entry.body();
        List<NamedProcessor> stages = processors.get();
        Optional<String> missing = settings.requiredStages().stream()
                .filter(name -> stages.stream().noneMatch(stage -> stage.name().equals(name))).findFirst();
        if (missing.isPresent()) {
            // Not an attempt: a message held for a missing stage neither uses up its retries nor expires.
            finishAttempt(entry, false, false, MISSING_STAGE + missing.get() + " (is its bundle started?)", true);
            return true;
        }
        for (NamedProcessor named : stages) {
            ProcessingResult result;
            try {
                result = named.processor().process(envelope, message);
            } catch (IOException | RuntimeException e) {
                result = ProcessingResult.defer(named.name() + " failed: " + e.getMessage());
            }
            if (result == null) {
                result = ProcessingResult.defer(named.name() + " returned no result");
            }
            if (result.isRefused()) {
                refuse(entry, envelope, result.refusalCode().orElseThrow(),
                        named.name() + " refused the message: " + result.reason().orElse("refused"));
                return true;
            }
            if (result.isDeferred()) {
                finishAttempt(entry, true, false, result.reason().orElse("deferred"), true);
                return true;
            }
            Envelope changed = result.envelope().orElse(envelope);
            Set<MailAddress> allowed = envelope.recipients().stream().map(Recipient::address).collect(Collectors.toSet());
            if (!changed.recipients().stream().map(Recipient::address).allMatch(allowed::contains)) {
                finishAttempt(entry, true, false, named.name() + " added recipients, which a processor may not do", true);
                return true;
            }
            envelope = changed;
            message = result.message().orElse(message);
        }

        Map<String, List<Recipient>> groups = new LinkedHashMap<>();
        Map<String, Route> routes = new LinkedHashMap<>();
        boolean waitingForTransport = false;
        for (Recipient recipient : envelope.recipients()) {
            String domain = recipient.address().normalizedDomain();
            if (settings.isLocal(domain)) {
                groups.computeIfAbsent(LOCAL, k -> new ArrayList<>()).add(recipient);
            } else if (transport == null) {
                entry.record(recipient.address(), Status.DEFERRED, NO_TRANSPORT);
                waitingForTransport = true;
            } else {
                Route route;
                try {
                    route = transport.routeFor(recipient.address());
                } catch (RuntimeException e) {
                    entry.record(recipient.address(), Status.DEFERRED, "no route: " + e.getMessage());
                    continue;
                }
                String destination = destinationOf(route, domain);
                groups.computeIfAbsent(destination, k -> new ArrayList<>()).add(recipient);
                routes.put(destination, route);
            }
        }

        boolean attempted = waitingForTransport;
        boolean tried = waitingForTransport;
        boolean busy = false;
        List<Notice> failures = new ArrayList<>();
        List<Notice> successes = new ArrayList<>();
        for (Map.Entry<String, List<Recipient>> group : groups.entrySet()) {
            if (group.getKey().equals(LOCAL)) {
                attempted = true;
                tried = true;
                for (Recipient recipient : group.getValue()) {
                    deliverLocally(entry, envelope, recipient, message, successes);
                }
                continue;
            }
            Optional<String> suspension = destinations.suspension(group.getKey(), clock.instant());
            if (suspension.isPresent()) {
                attempted = true;
                group.getValue().forEach(r -> entry.record(r.address(), Status.DEFERRED, suspension.get()));
                continue;
            }
            if (!destinations.tryAcquire(group.getKey())) {
                busy = true;
                continue;
            }
            attempted = true;
            tried = true;
            try {
                Route route = routes.get(group.getKey());
                long started = System.nanoTime();
                DeliveryResult result = transport.deliver(subset(envelope, group.getValue()), message, route);
                counters.attempt(route.name(), System.nanoTime() - started);
                record(entry, route.name(), group.getValue(), result, failures, successes);
                suspendIfUnanswered(group.getKey(), result);
            } catch (RuntimeException e) {
                LOG.warn("Transport failed delivering {} over {}", entry.id, group.getKey(), e);
                group.getValue().forEach(r -> entry.record(r.address(), Status.DEFERRED, "transport error: " + e));
            } finally {
                destinations.release(group.getKey());
                wake();
            }
        }

        if (attempted) {
            logOutcomes(entry, envelope);
        }
        if (!failures.isEmpty()) {
            bounce(entry, failures);
        }
        if (!successes.isEmpty()) {
            reportSuccess(entry, successes);
        }
        if (entry.isFinished()) {
            spool.remove(entry);
            return true;
        }
        String lastError = entry.pending().stream().map(r -> entry.replyOf(r.address()).orElse(null))
                .filter(reply -> reply != null).findFirst().orElse(null);
        // Deferred only because destinations are suspended: nothing was tried that a crash could forget.
        finishAttempt(entry, attempted, busy && !attempted, lastError, tried);
        return attempted || !busy;
    }

    /**
     * @return the reason when every recipient waits for a destination that is suspended; empty when
     *     one may be tried (or is local, or has no route yet: the full attempt deals with those)
     */
    private Optional<String> suspendedForAll(MailTransport transport, List<Recipient> recipients) {
        if (transport == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String reason = null;
        for (Recipient recipient : recipients) {
            String domain = recipient.address().normalizedDomain();
            if (settings.isLocal(domain)) {
                return Optional.empty();
            }
            Optional<String> suspension;
            try {
                suspension = destinations.suspension(destinationOf(transport.routeFor(recipient.address()), domain), now);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            if (suspension.isEmpty()) {
                return Optional.empty();
            }
            reason = reason == null ? suspension.get() : reason;
        }
        return Optional.ofNullable(reason);
    }

    private static String destinationOf(Route route, String domain) {
        return route.kind() == Route.Kind.MX ? "mx:" + domain : "relay:" + route.name();
    }

    /**
     * When no host or port of the destination answered for any recipient, its other mail waits out
     * the first retry interval (Postfix's minimal_backoff_time) instead of connecting in vain.
     */
    private void suspendIfUnanswered(String destination, DeliveryResult result) {
        List<RecipientOutcome> outcomes = result.recipients();
        boolean unanswered = !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.status() == DeliveryStatus.TEMPORARY_FAILURE
                && o.replyCode() == 0 && NO_ANSWER.equals(o.enhancedCode()));
        if (unanswered) {
            RecipientOutcome first = outcomes.get(0);
            destinations.suspend(destination, clock.instant().plus(settings.retryInitial()),
                    first.text() + (first.host().isEmpty() ? "" : " (" + first.host() + ")"));
        }
    }

    /** A processor refused the message for these recipients: they fail now, and the sender hears of it. */
    private void refuse(SpoolEntry entry, Envelope envelope, String code, String why) {
        List<Notice> failures = new ArrayList<>();
        for (Recipient recipient : envelope.recipients()) {
            entry.record(recipient.address(), Status.FAILED, code + " " + why);
            failures.add(Notice.failed(recipient, code, "X-Mailslot", code + " " + why, ""));
        }
        entry.attempted();
        logOutcomes(entry, envelope);
        bounce(entry, failures);
        if (entry.isFinished()) {
            spool.remove(entry);
        } else {
            saveQuietly(entry);
        }
    }

    /** One line per recipient and attempt, as an operator greps for a message's fate. */
    private static void logOutcomes(SpoolEntry entry, Envelope envelope) {
        if (MAIL_LOG.isInfoEnabled()) {
            String from = entry.envelope.reversePath().map(MailAddress::toString).orElse("");
            for (Recipient recipient : envelope.recipients()) {
                MAIL_LOG.info("{}: from=<{}> to=<{}> status={} ({})", entry.id, from, recipient.address(),
                        entry.statusOf(recipient.address()).name().toLowerCase(java.util.Locale.ROOT),
                        entry.replyOf(recipient.address()).orElse(""));
            }
        }
    }

    /** @return the figures of every route so far */
    List<DeliveryStatistics.RouteStatistics> statistics() {
        return counters.snapshot();
    }

    /** @return the destinations suspended now */
    List<String> suspendedDestinations() {
        return destinations.suspended(clock.instant());
    }

    private void deliverLocally(SpoolEntry entry, Envelope envelope, Recipient recipient, MessageSource message,
            List<Notice> successes) {
        try {
            maildir.deliver(recipient.address(), envelope.reversePath(), message);
            entry.record(recipient.address(), Status.DELIVERED, "250 2.0.0 delivered to the local Maildir");
            counters.outcome(DeliveryStatistics.LOCAL_ROUTE, Status.DELIVERED);
            if (recipient.notifyOn().contains(DsnNotify.SUCCESS)) {
                successes.add(new Notice(recipient, Action.DELIVERED, "2.0.0", "X-Mailslot", "delivered to the local Maildir", ""));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Local delivery of {} to {} failed: {}", entry.id, recipient.address(), e.toString());
            entry.record(recipient.address(), Status.DEFERRED, "451 4.3.0 local delivery failed: " + e.getMessage());
            counters.outcome(DeliveryStatistics.LOCAL_ROUTE, Status.DEFERRED);
        }
    }

    private void record(SpoolEntry entry, String route, List<Recipient> recipients, DeliveryResult result,
            List<Notice> failures, List<Notice> successes) {
        for (Recipient recipient : recipients) {
            Optional<RecipientOutcome> found = result.recipients().stream()
                    .filter(o -> o.recipient().equals(recipient.address())).findFirst();
            if (found.isEmpty()) {
                entry.record(recipient.address(), Status.DEFERRED, "the transport reported no outcome");
                counters.outcome(route, Status.DEFERRED);
                continue;
            }
            RecipientOutcome outcome = found.get();
            String reply = ((outcome.replyCode() == 0 ? "" : outcome.replyCode() + " ")
                    + (outcome.enhancedCode().isEmpty() ? "" : outcome.enhancedCode() + " ") + outcome.text()).trim();
            if (!outcome.host().isEmpty()) {
                reply += " (" + outcome.host() + (outcome.port() == 0 ? "" : ":" + outcome.port()) + ")";
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
                case TEMPORARY_FAILURE -> entry.record(recipient.address(), Status.DEFERRED, reply);
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

    /**
     * @param persist whether to write the new state: not when nothing was tried and it only moves the
     *     next attempt on (a crash then means an earlier attempt, never a lost message)
     */
    private void finishAttempt(SpoolEntry entry, boolean attempted, boolean onlyBusy, String lastError, boolean persist) {
        Instant now = clock.instant();
        if (onlyBusy) {
            // Nothing was tried and nothing changed: it stays due and goes when a destination frees up.
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
        entry.schedule(next, lastError);
        boolean noticed = attempted && reportDelay(entry, now);
        if (persist || noticed) {
            saveQuietly(entry);
        }
    }

    /**
     * Once the message is {@code delay.notice} old, tells the sender, once per recipient, which ones
     * still wait: those with NOTIFY=DELAY, or without NOTIFY (whose default includes delays).
     *
     * @return whether a notice was queued (and the state must say so)
     */
    private boolean reportDelay(SpoolEntry entry, Instant now) {
        Optional<Duration> after = settings.delayNotice();
        if (after.isEmpty() || entry.envelope.reversePath().isEmpty() || now.isBefore(entry.received.plus(after.get()))) {
            return false;
        }
        List<Notice> delayed = new ArrayList<>();
        for (Recipient recipient : entry.pending()) {
            boolean wanted = recipient.notifyOn().isEmpty() || recipient.notifyOn().contains(DsnNotify.DELAY);
            if (wanted && !entry.delayNoticed(recipient.address())) {
                String reply = entry.replyOf(recipient.address()).orElse("not tried yet");
                Matcher code = REPLY.matcher(reply);
                boolean smtp = code.lookingAt();
                delayed.add(new Notice(recipient, Action.DELAYED, smtp && code.group(2) != null ? code.group(2) : "4.0.0",
                        smtp ? "smtp" : "X-Mailslot", reply, ""));
            }
        }
        if (delayed.isEmpty()) {
            return false;
        }
        try {
            DsnWriter.submit(spool, entry, delayed, settings.reportingMta(), now, entry.received.plus(settings.giveUp()));
            delayed.forEach(notice -> entry.markDelayNoticed(notice.recipient().address()));
            return true;
        } catch (SubmissionException e) {
            // Not marked: the next attempt tries again.
            LOG.warn("Could not queue the delay notice for {}: {}", entry.id, e.getMessage());
            return false;
        }
    }

    private void reportSuccess(SpoolEntry entry, List<Notice> successes) {
        if (entry.envelope.reversePath().isEmpty()) {
            return;
        }
        try {
            DsnWriter.submit(spool, entry, successes, settings.reportingMta(), clock.instant(), clock.instant());
        } catch (SubmissionException e) {
            // The delivery stands; only the report of it is lost, and said so.
            LOG.warn("Could not queue the success notice for {} ({}): {}", entry.id,
                    successes.stream().map(n -> n.recipient().address().toString()).toList(), e.getMessage());
        }
    }

    private void expire(SpoolEntry entry, String lastError) {
        List<Notice> failures = new ArrayList<>();
        String why = "delivery time expired after " + settings.giveUp()
                + (lastError == null ? "" : "; last error: " + lastError);
        for (Recipient recipient : entry.pending()) {
            entry.record(recipient.address(), Status.FAILED, why);
            failures.add(Notice.failed(recipient, "4.4.7", "X-Mailslot", why, ""));
        }
        bounce(entry, failures);
        if (entry.isFinished()) {
            spool.remove(entry);
        } else {
            saveQuietly(entry);
        }
    }

    private void bounce(SpoolEntry entry, List<Notice> failures) {
        if (entry.envelope.reversePath().isEmpty()) {
            LOG.info("Not bouncing {}: it has the null reverse path (a bounce is never bounced); failed: {}", entry.id,
                    failures.stream().map(f -> f.recipient().address() + " " + f.diagnostic()).toList());
            return;
        }
        List<Notice> wanted = failures.stream()
                .filter(f -> f.recipient().notifyOn().isEmpty() || f.recipient().notifyOn().contains(DsnNotify.FAILURE))
                .toList();
        if (wanted.isEmpty()) {
            return;
        }
        try {
            DsnWriter.submit(spool, entry, wanted, settings.reportingMta(), clock.instant(), clock.instant());
        } catch (SubmissionException e) {
            // Without the DSN the sender would never learn; keep the recipients and try again.
            LOG.warn("Could not queue the DSN for {}: {}", entry.id, e.getMessage());
            wanted.forEach(f -> entry.record(f.recipient().address(), Status.DEFERRED,
                    f.diagnostic() + " (could not queue the DSN: " + e.getMessage() + ")"));
        }
    }

    private void saveQuietly(SpoolEntry entry) {
        try {
            spool.saveState(entry, false);
        } catch (RuntimeException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    static Envelope subset(Envelope envelope, List<Recipient> recipients) {
        return envelope.onlyFor(Set.copyOf(recipients)::contains);
    }

    @Override
    public void close() {
        started = false;
        dispatcher.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
