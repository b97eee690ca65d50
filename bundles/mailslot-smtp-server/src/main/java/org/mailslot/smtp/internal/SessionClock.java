package org.mailslot.smtp.internal;

import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The client's time: for each command line, from the end of the line before (or of a wait on our
 * side) to its CRLF; for a message, from 354 to the final dot, a floor plus an allowance for each
 * octet received. Octets that trickle in do not extend a command's time (slowloris). Under stress
 * the shorter times apply. Used on the session's loop only.
 */
final class SessionClock {

    /** Where the clock schedules its checks: the session's loop. */
    interface Timer {
        Future<?> schedule(Runnable task, long nanos);
    }

    private final SmtpSession session;
    private final Settings settings;
    private final BooleanSupplier underStress;
    private final Timer timer;
    /** When the client's time for the current command line (or message) began. */
    private long start = System.nanoTime();
    /** In DATA: the message octets received when the clock started; each one after adds to the deadline. */
    private long sizeAtStart;
    private Future<?> check;
    /** When the pending check runs (System.nanoTime). */
    private long checkAt;

    SessionClock(SmtpSession session, Settings settings, BooleanSupplier underStress, Timer timer) {
        this.session = session;
        this.settings = settings;
        this.underStress = underStress;
        this.timer = timer;
    }

    /** The client's time starts again (a line arrived, a wait on our side ended). */
    void restart() {
        start = System.nanoTime();
        sizeAtStart = session.messageSize();
    }

    /** The phase changed, and with it the time that applies. */
    void restartTimer() {
        restart();
        schedule(timeLimit());
    }

    void stop() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    /** Ends the session if the client's time is up; else looks again when it will be. */
    void check() {
        if (session.isClosed()) {
            return;
        }
        if (session.waitingOnUs()) {
            // A TLS handshake is the client's to complete; a worker's step is not.
            restartTimer();
            return;
        }
        long left = deadline() - System.nanoTime();
        if (left <= 0) {
            session.timedOut();
        } else {
            schedule(left);
        }
    }

    /** @return the client's time from the start of the clock: a command line's, or in DATA the floor */
    private long timeLimit() {
        boolean stress = underStress.getAsBoolean();
        if (session.inData()) {
            return (stress ? settings.stressDataTimeout() : settings.dataTimeout()).toNanos();
        }
        return (stress ? settings.stressCommandTimeout() : settings.commandTimeout()).toNanos();
    }

    /** @return when the client's time runs out: in DATA, the floor plus what the octets since earned */
    private long deadline() {
        long deadline = start + timeLimit();
        if (session.inData()) {
            deadline += (long) ((session.messageSize() - sizeAtStart) * settings.nanosPerDataOctet());
        }
        return deadline;
    }

    /**
     * Makes sure a check runs within {@code nanos}. A pending one that runs by then stays: it looks
     * again at its time and goes on to the deadline then in force, so the phases of a session do not
     * each cancel and schedule a timer.
     */
    private void schedule(long nanos) {
        long at = System.nanoTime() + nanos;
        if (check != null && checkAt - at <= 0) {
            return;
        }
        stop();
        checkAt = at;
        check = timer.schedule(this::due, nanos);
    }

    private void due() {
        check = null;
        check();
    }
}
