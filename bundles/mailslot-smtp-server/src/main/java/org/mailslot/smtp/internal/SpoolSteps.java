package org.mailslot.smtp.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.NonBlockingSubmission;
import org.mailslot.api.submission.NonBlockingWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides where a session's blocking steps run: opening a message
 * ({@code begin}), writing it, committing it, and checking a password. Each runs on the listener's
 * worker pool, after every step the session queued before, and its result comes back on the
 * session's event loop; except that a spool which takes small messages without blocking
 * (a {@link NonBlockingSubmission}) is opened and committed
 * ({@link NonBlockingWriter#commitAsync}) right on the loop when nothing else of the session's is pending, so a
 * small message costs no hand-over between threads at all; one whose sender is checked on a worker is
 * committed the same way from that worker, right after its check.
 *
 * <p>Also counts the message octets handed to workers and not yet written, which the session
 * reads to stop reading from a client that is faster than the storage.
 */
final class SpoolSteps {

    /** Unwritten message octets above which reading stops until the storage catches up. */
    static final long HIGH_WATER = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SpoolSteps.class);

    /** Called on the loop with the opened message, or with the reply to a refusal. */
    interface Opening {
        void opened(MessageWriter writer, boolean inline);

        void refused(String reply);
    }

    /** Called on the loop with the verdict on a message: the reply, and the spool's receipt if it took it (else null). */
    interface Verdict {
        void answer(String reply, SubmissionReceipt accepted);
    }

    private final String session;
    private final InetSocketAddress client;
    private final Executor worker;
    private final Executor loop;
    private final Runnable belowHighWater;
    private final AtomicLong unwritten = new AtomicLong();
    private CompletableFuture<Void> work = CompletableFuture.completedFuture(null);

    /**
     * @param session the session's id, for the log
     * @param worker the listener's worker pool
     * @param loop the session's event loop
     * @param belowHighWater run on the loop when a write brought the unwritten octets below {@link #HIGH_WATER}
     */
    SpoolSteps(String session, InetSocketAddress client, Executor worker, Executor loop, Runnable belowHighWater) {
        this.session = session;
        this.client = client;
        this.worker = worker;
        this.loop = loop;
        this.belowHighWater = belowHighWater;
    }

    /** @return whether so many message octets wait for a worker that reading should stop */
    boolean aboveHighWater() {
        return unwritten.get() >= HIGH_WATER;
    }

    /** @return whether message octets wait for a worker: the session waits on us, not on the client */
    boolean writing() {
        return unwritten.get() > 0;
    }

    /** Opens a message in the spool and writes the Received header into it. */
    void begin(MailSubmission submission, Envelope envelope, byte[] received, Opening then) {
        boolean inline = submission instanceof NonBlockingSubmission && work.isDone();
        run(inline, () -> {
            MessageWriter opened = null;
            SubmissionException refused = null;
            try {
                opened = submission.begin(envelope);
                opened.write(received, 0, received.length);
            } catch (SubmissionException e) {
                refused = e;
                if (opened != null) {
                    opened.close();
                    opened = null;
                }
            } catch (RuntimeException e) {
                LOG.warn("SMTP session {}: the spool failed to open a message", session, e);
                refused = new SubmissionException(SubmissionException.Reason.UNAVAILABLE, "Mail storage failed", e);
            }
            MessageWriter ready = opened;
            SubmissionException failure = refused;
            backOnLoop(inline, () -> {
                if (failure != null) {
                    then.refused(replyFor(failure));
                } else {
                    then.opened(ready, inline);
                }
            });
        });
    }

    /** Writes a piece of the message, in order after what was handed over before; the array is the writer's from now on. */
    void write(IncomingMessage message, byte[] chunk, int length) {
        unwritten.addAndGet(length);
        blocking(() -> {
            try {
                if (message.writeFailure() == null) {
                    message.writeHandedOver(chunk, length);
                }
            } catch (SubmissionException e) {
                message.writeFailed(e);
            } catch (RuntimeException e) {
                message.writeFailed(new SubmissionException(SubmissionException.Reason.UNAVAILABLE, "Mail storage failed", e));
            } finally {
                if (unwritten.addAndGet(-length) < HIGH_WATER) {
                    loop.execute(belowHighWater);
                }
            }
        });
    }

    /**
     * Ends a message: writes what is held of it and commits it, or answers {@code refusal} when
     * that is not null; the writer is closed either way. A small message the spool takes without
     * blocking is written and committed from the loop and answered when it is durable.
     */
    void commit(IncomingMessage message, String refusal, Verdict then) {
        if (nonBlocking(message) && work.isDone()) {
            end(message, refusal, then, true);
        } else {
            blocking(() -> end(message, refusal, then, false));
        }
    }

    /**
     * Checks the message's sender on a worker (it waits on DNS), then ends it there as {@link #commit}
     * does, with the check's refusal if any: a small message is committed without blocking and
     * answered once durable, with no step back on the loop in between. A check that fails
     * unexpectedly refuses the message (451): unchecked mail is never taken.
     */
    void checkThenCommit(IncomingMessage message, SenderCheck check, Verdict then) {
        blocking(() -> {
            String refusal;
            try {
                refusal = check.apply(message);
            } catch (RuntimeException e) {
                LOG.warn("SMTP session {}: the sender checks failed", session, e);
                refusal = SenderCheck.FAILED;
            }
            end(message, refusal, then, false);
        });
    }

    /** @return whether the message can be committed without blocking: opened by a NonBlockingSubmission, still held whole */
    private static boolean nonBlocking(IncomingMessage message) {
        return message.inline() && !message.handedOver();
    }

    /** Ends the message on the loop (only one committed without blocking) or on a worker. */
    private void end(IncomingMessage message, String refusal, Verdict then, boolean onLoop) {
        MessageWriter target = message.writer();
        String answer = null;
        SubmissionReceipt accepted = null;
        CompletionStage<SubmissionReceipt> commit = null;
        try {
            if (refusal != null) {
                answer = refusal;
            } else if (message.writeFailure() != null) {
                answer = replyFor(message.writeFailure());
            } else {
                target.write(message.held(), 0, message.heldLength());
                if (nonBlocking(message)) {
                    // Opened inline, so by a NonBlockingSubmission, whose writers are NonBlockingWriters.
                    commit = ((NonBlockingWriter) target).commitAsync(worker);
                } else {
                    accepted = target.commit();
                    answer = "250 2.0.0 Ok: queued as " + accepted.id();
                }
            }
        } catch (SubmissionException e) {
            answer = replyFor(e);
        } catch (RuntimeException e) {
            LOG.warn("SMTP session {}: the spool failed to commit a message", session, e);
            answer = "451 4.3.0 Mail storage failed; try again later";
        } finally {
            message.releaseSpill();
            if (commit == null) {
                target.close();
            }
        }
        if (commit != null) {
            commit.whenComplete((receipt, error) -> {
                target.close();
                String reply = error == null ? "250 2.0.0 Ok: queued as " + receipt.id() : replyForCommit(error);
                loop.execute(() -> then.answer(reply, error == null ? receipt : null));
            });
            return;
        }
        String reply = answer;
        SubmissionReceipt taken = accepted;
        backOnLoop(onLoop, () -> then.answer(reply, taken));
    }

    /** Closes a message that will not be committed (the client went, or the session timed out). */
    void discard(MessageWriter writer) {
        blocking(writer::close);
    }

    /** Closes a message that will not be committed, and deletes what it spilled. */
    void discard(IncomingMessage message) {
        blocking(() -> {
            message.writer().close();
            message.releaseSpill();
        });
    }

    /** Runs a blocking step (a password check) on the worker pool, after every step this session queued before. */
    void blocking(Runnable task) {
        work = work.thenRunAsync(task, worker).exceptionally(e -> {
            LOG.warn("SMTP session {}: {}", session, e.toString());
            return null;
        });
    }

    /** Continues on the session's loop. */
    void onLoop(Runnable task) {
        loop.execute(task);
    }

    private void run(boolean inline, Runnable step) {
        if (inline) {
            step.run();
        } else {
            blocking(step);
        }
    }

    private void backOnLoop(boolean inline, Runnable task) {
        if (inline) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private String replyForCommit(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SubmissionException e) {
            return replyFor(e);
        }
        LOG.warn("SMTP session {}: the spool failed to commit a message", session, cause);
        return "451 4.3.0 Mail storage failed; try again later";
    }

    /**
     * The reply for a refusal. A temporary one is the spool's trouble, and its message may name
     * files and system errors: clients get a fixed text, the log gets the detail.
     */
    private String replyFor(SubmissionException e) {
        SubmissionException.Reason reason = e.reason();
        String text = switch (reason) {
            case STORAGE_FULL -> "Insufficient system storage; try again later";
            case UNAVAILABLE -> "Mail storage failed; try again later";
            default -> Texts.printable(e.getMessage());
        };
        if (reason.isTemporary()) {
            LOG.warn("SMTP session {} from {}: {} ({})", session, client, e.getMessage(), reason);
        }
        return reason.replyCode() + " " + reason.enhancedCode() + " " + text;
    }
}
