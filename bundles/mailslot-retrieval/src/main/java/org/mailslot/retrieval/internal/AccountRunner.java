package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervised connection of one account, as a task on a session thread of the bundle's
 * {@link RetrievalThreads} for as long as the account runs. IMAP: one session kept open,
 * every folder synchronised, then IDLE on the first folder when the server offers it (re-issued at
 * every heartbeat, well before servers end it after 30 minutes), else a poll every poll interval
 * with a NOOP at every heartbeat. POP3: a session per poll. Any failure closes the session and
 * reconnects after a backoff of 1 s doubling up to {@code reconnect.max}; {@link #fetch()} cuts a
 * wait or an IDLE short.
 */
final class AccountRunner {

    private static final Logger LOG = LoggerFactory.getLogger(AccountRunner.class);

    private final AccountSettings settings;
    private final Connector connector;
    private final StateStore state;
    private final LocalMaildir maildir;
    private final HandOff handOff;
    private final Clock clock;
    private final SyncCounters counters = new SyncCounters();
    private final RetrievalThreads threads;
    private final LinkedBlockingDeque<CompletableFuture<Integer>> requests = new LinkedBlockingDeque<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private volatile boolean running = true;
    private volatile AccountState accountState = AccountState.STARTING;
    private volatile Instant lastSync;
    private volatile String lastError;
    private volatile Store store;
    private volatile IMAPFolder idling;
    private ScheduledFuture<?> heartbeat;
    private int failures; // since the last good sync; runner thread only

    AccountRunner(AccountSettings settings, Connector connector, StateStore state, LocalMaildir maildir,
            HandOff handOff, Clock clock, RetrievalThreads threads) {
        this.settings = settings;
        this.connector = connector;
        this.state = state;
        this.maildir = maildir;
        this.handOff = handOff;
        this.clock = clock;
        this.threads = threads;
    }

    void start() {
        try {
            threads.sessions().execute(this::runNamed);
        } catch (RejectedExecutionException e) {
            running = false;
            accountState = AccountState.FAILED;
            lastError = "more than " + RetrievalThreads.MAX_SESSIONS + " accounts are running; this one does not start";
            LOG.error("Account {}: {}", settings.name(), lastError);
            finished.complete(null);
            return;
        }
        long period = heartbeatPeriod().toMillis();
        heartbeat = threads.timer().scheduleWithFixedDelay(this::abortIdle, period, period, TimeUnit.MILLISECONDS);
    }

    private void runNamed() {
        Thread current = Thread.currentThread();
        String poolName = current.getName();
        current.setName(poolName + "-" + settings.name());
        try {
            run();
        } finally {
            current.setName(poolName);
            finished.complete(null);
        }
    }

    private Duration heartbeatPeriod() {
        Duration hb = settings.heartbeat();
        return settings.folders().size() > 1 && settings.pollInterval().compareTo(hb) < 0 ? settings.pollInterval() : hb;
    }

    void stop() {
        running = false;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        // Woken through the queue, not interrupted: an interrupt during a write would close the state log's channel.
        requests.addFirst(new CompletableFuture<>());
        Store s = store;
        if (s != null) {
            Connector.closeQuietly(s); // ends a blocking read or IDLE
        }
        try {
            finished.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Account {}: its session did not end within 10 s", settings.name());
        }
        failRequests(new IOException("account " + settings.name() + " stopped"));
    }

    AccountState accountState() {
        return accountState;
    }

    Optional<Instant> lastSync() {
        return Optional.ofNullable(lastSync);
    }

    Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    long retrieved() {
        return counters.retrieved.get();
    }

    /** Synchronises now and waits: @return new messages stored locally */
    int fetch(Duration timeout) throws IOException {
        CompletableFuture<Integer> request = new CompletableFuture<>();
        requests.add(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                abortIdle();
                try {
                    return request.get(200, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("account " + settings.name() + " did not synchronise within " + timeout
                                + " (state " + accountState + ")");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            requests.remove(request);
        }
    }

    /** Ends an IDLE in progress: any command on the folder from another thread makes Angus send DONE. */
    private void abortIdle() {
        IMAPFolder folder = idling;
        if (folder != null) {
            // On a session thread, not the timer: the command waits for the server to end the IDLE.
            try {
                threads.sessions().execute(() -> {
                    try {
                        folder.doCommand(p -> null);
                    } catch (MessagingException | RuntimeException e) {
                        // The session is broken; the runner finds out and reconnects.
                    }
                });
            } catch (RejectedExecutionException e) {
                // Every session thread is taken or the bundle stops: the next heartbeat tries again.
            }
        }
    }

    private void run() {
        while (running) {
            try {
                accountState = AccountState.CONNECTING;
                if (settings.protocol() == Protocol.POP3) {
                    pop3Loop();
                } else {
                    imapSession();
                }
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                failures++;
                lastError = ErrorText.of(e);
                boolean problem = e instanceof AccountProblem;
                Duration delay = problem ? settings.reconnectMax() : settings.reconnectDelay(failures);
                LOG.warn("Account {}: {}; reconnecting in {}", settings.name(), lastError, delay);
                failRequests(new IOException(lastError, e));
                closeStore();
                accountState = problem ? AccountState.FAILED : AccountState.BACKOFF;
                waitFor(delay);
                continue;
            } finally {
                closeStore();
            }
        }
        accountState = AccountState.STOPPED;
    }

    private void pop3Loop() throws MessagingException, IOException {
        while (running) {
            List<CompletableFuture<Integer>> answering = drainRequests();
            accountState = AccountState.FETCHING;
            long before = counters.retrieved.get();
            Connector.Opened opened = connector.open(settings);
            store = opened.store();
            try {
                new Pop3Sync(settings, state, new MessageWriter(state, maildir, clock, counters), handOff::wake)
                        .sync(opened.store());
            } finally {
                closeStore();
            }
            succeeded(answering, (int) (counters.retrieved.get() - before), List.of());
            accountState = AccountState.POLLING;
            waitFor(settings.pollInterval());
        }
    }

    private void imapSession() throws MessagingException, IOException {
        Connector.Opened opened = connector.open(settings);
        store = opened.store();
        IMAPStore imap = (IMAPStore) opened.store();
        List<IMAPFolder> folders = new ArrayList<>();
        for (String name : settings.folders()) {
            IMAPFolder folder = (IMAPFolder) imap.getFolder(name);
            if (!folder.exists()) {
                throw new AccountProblem("folder " + name + " does not exist on " + settings.server()
                        + "; create it or change folders");
            }
            folder.open(settings.after().writes() ? Folder.READ_WRITE : Folder.READ_ONLY);
            folders.add(folder);
        }
        if (settings.after() == AfterHandOff.MOVE && !imap.getFolder(settings.moveTo()).exists()) {
            // Checked before anything is fetched: each batch's move would fail, and the session with it, for ever.
            throw new AccountProblem("move.to folder " + settings.moveTo() + " does not exist on " + settings.server()
                    + "; create it or change move.to");
        }
        boolean useIdle = settings.idle() && imap.hasCapability("IDLE");
        Instant lastPoll = Instant.MIN;
        while (running) {
            List<CompletableFuture<Integer>> answering = drainRequests();
            accountState = AccountState.FETCHING;
            long before = counters.retrieved.get();
            MessageWriter writer = new MessageWriter(state, maildir, clock, counters);
            ImapSync sync = new ImapSync(settings, state, writer, handOff::wake, threads.commits());
            for (IMAPFolder folder : folders) {
                sync.sync(folder);
            }
            lastPoll = clock.instant();
            succeeded(answering, (int) (counters.retrieved.get() - before), sync.notices());
            if (useIdle) {
                if (requests.isEmpty()) {
                    accountState = AccountState.IDLE;
                    idling = folders.get(0);
                    try {
                        folders.get(0).idle(true);
                    } finally {
                        idling = null;
                    }
                }
            } else {
                accountState = AccountState.POLLING;
                // NOOP at each heartbeat keeps the session and shows a dead one; sync at the poll interval.
                while (running && requests.isEmpty()
                        && clock.instant().isBefore(lastPoll.plus(settings.pollInterval()))) {
                    Duration untilPoll = Duration.between(clock.instant(), lastPoll.plus(settings.pollInterval()));
                    waitFor(untilPoll.compareTo(settings.heartbeat()) < 0 ? untilPoll : settings.heartbeat());
                    if (requests.isEmpty() && clock.instant().isBefore(lastPoll.plus(settings.pollInterval()))) {
                        folders.get(0).doCommand(p -> {
                            p.noop();
                            return null;
                        });
                    }
                }
            }
        }
    }

    /** A whole sync went through: the session is good, so the next drop reconnects after 1 s again. */
    private void succeeded(List<CompletableFuture<Integer>> answering, int stored, List<String> notices) {
        failures = 0;
        lastSync = clock.instant();
        lastError = notices.isEmpty() ? null : String.join("; ", notices);
        answering.forEach(r -> r.complete(stored));
    }

    private List<CompletableFuture<Integer>> drainRequests() {
        List<CompletableFuture<Integer>> drained = new ArrayList<>();
        requests.drainTo(drained);
        return drained;
    }

    private void failRequests(IOException e) {
        List<CompletableFuture<Integer>> drained = drainRequests();
        drained.forEach(r -> r.completeExceptionally(e));
    }

    /** Waits, returning early when a fetch is requested or the runner stops. */
    private void waitFor(Duration duration) {
        try {
            CompletableFuture<Integer> request = requests.pollFirst(duration.toMillis(), TimeUnit.MILLISECONDS);
            if (request != null) {
                requests.addFirst(request);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeStore() {
        Store s = store;
        store = null;
        if (s != null) {
            Connector.closeQuietly(s);
        }
    }
}
