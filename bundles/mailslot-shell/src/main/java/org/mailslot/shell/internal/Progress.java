package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Tells the operator that a long command is still at work: a line at most every {@link #EVERY}, so that
 * a quick command prints nothing more and a script's log stays short.
 */
final class Progress {

    static final Duration EVERY = Duration.ofSeconds(2);

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private long last;

    Progress(PrintStream out) {
        this(out, System::nanoTime);
    }

    Progress(PrintStream out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.last = nanoTime.getAsLong();
    }

    /** Prints the line if {@link #EVERY} has passed since the start or the last line printed. */
    void report(Supplier<String> line) {
        long now = nanoTime.getAsLong();
        if (now - last >= EVERY.toNanos()) {
            last = now;
            out.println(line.get());
            out.flush();
        }
    }
}
