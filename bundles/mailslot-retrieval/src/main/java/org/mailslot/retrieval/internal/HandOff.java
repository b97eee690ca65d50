package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.api.retrieval.RetrievedMessage;
import org.mailslot.api.transport.MessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an account's stored messages to every {@link org.mailslot.api.retrieval.MessageHandler}
 * that wants them, after the inbound processors, on the account's hand-off thread (so a slow
 * handler never holds back retrieval). Each (handler, message) that fails is retried on its own
 * schedule, doubling from {@code retryFirst} up to {@code retryMax}, while the other handlers and
 * messages go on. A success is recorded per handler name in the {@link StateStore}.
 */
final class HandOff {

    private static final Logger LOG = LoggerFactory.getLogger(HandOff.class);

    private record Attempt(int failures, Instant notBefore) {
    }

    private final String account;
    private final Whiteboard whiteboard;
    private final StateStore state;
    private final LocalMaildir maildir;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Duration retryFirst;
    private final Duration retryMax;
    private final Map<String, Attempt> failures = new HashMap<>(); // handler + key, hand-off thread only
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile String lastError;

    HandOff(String account, Whiteboard whiteboard, StateStore state, LocalMaildir maildir,
            ScheduledExecutorService executor, Clock clock, Duration retryFirst, Duration retryMax) {
        this.account = account;
        this.whiteboard = whiteboard;
        this.state = state;
        this.maildir = maildir;
        this.executor = executor;
        this.clock = clock;
        this.retryFirst = retryFirst;
        this.retryMax = retryMax;
    }

    /** Runs a pass soon (coalesced with one already waiting). */
    void wake() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::pass);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false); // shutting down
            }
        }
    }

    /** @return messages stored locally that some current handler has not taken */
    int pendingCount() {
        return state.pending(handlerNames()).size();
    }

    String lastError() {
        return lastError;
    }

    private List<String> handlerNames() {
        return whiteboard.handlersFor(account).stream().map(Whiteboard.NamedHandler::name).toList();
    }

    private void pass() {
        scheduled.set(false);
        Instant next = null;
        try {
            List<Whiteboard.NamedHandler> handlers = whiteboard.handlersFor(account);
            if (handlers.isEmpty()) {
                return;
            }
            List<String> names = handlers.stream().map(Whiteboard.NamedHandler::name).toList();
            for (StateStore.Stored stored : state.pending(names)) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                Instant retryAt = offer(stored, handlers);
                if (retryAt != null && (next == null || retryAt.isBefore(next))) {
                    next = retryAt;
                }
            }
            state.force();
        } catch (IOException | RuntimeException e) {
            lastError = "hand-off: " + e.getMessage();
            LOG.warn("Account {}: hand-off pass failed", account, e);
            next = clock.instant().plus(retryFirst);
        }
        if (next != null) {
            long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis());
            try {
                executor.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    /** @return when this message should be tried again for some handler, or null */
    private Instant offer(StateStore.Stored stored, List<Whiteboard.NamedHandler> handlers) throws IOException {
        Instant now = clock.instant();
        Instant retryAt = null;
        RetrievedMessage message = null;
        for (Whiteboard.NamedHandler handler : handlers) {
            if (state.isHandled(handler.name(), stored.key())) {
                continue;
            }
            String attemptKey = handler.name() + '\n' + stored.key();
            Attempt attempt = failures.get(attemptKey);
            if (attempt != null && now.isBefore(attempt.notBefore())) {
                retryAt = earlier(retryAt, attempt.notBefore());
                continue;
            }
            try {
                if (message == null) {
                    message = process(stored);
                }
                handler.handler().handle(message);
                state.recordHandled(handler.name(), stored.key());
                failures.remove(attemptKey);
            } catch (Exception e) {
                int count = attempt == null ? 1 : attempt.failures() + 1;
                Instant notBefore = now.plus(delay(count));
                failures.put(attemptKey, new Attempt(count, notBefore));
                retryAt = earlier(retryAt, notBefore);
                lastError = "handler " + handler.name() + ": " + e;
                LOG.warn("Account {}: handler {} did not take {} {} (attempt {}, next in {}): {}", account,
                        handler.name(), stored.key().folder(), stored.key().id(), count, delay(count), e.toString());
            }
        }
        return retryAt;
    }

    private RetrievedMessage process(StateStore.Stored stored) throws IOException {
        Path file = maildir.file(stored.file().orElseThrow());
        RetrievedMessage message = RetrievedMessage.fetched(account, stored.key().folder(), stored.key().id(),
                stored.retrieved(), MessageSource.of(file));
        for (InboundProcessor processor : whiteboard.processors()) {
            message = processor.process(message);
        }
        return message;
    }

    Duration delay(int failureCount) {
        Duration d = retryFirst;
        for (int i = 1; i < failureCount && d.compareTo(retryMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
