package org.mailslot.smtp.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.submission.LocalRecipients;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.NonBlockingSubmission;
import org.mailslot.api.submission.NonBlockingWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;

/** A spool in memory: what was committed, what was written so far, and failures on demand. */
final class MemorySubmission implements MailSubmission {

    record Stored(String id, Envelope envelope, byte[] message) {
        String text() {
            return new String(message, StandardCharsets.UTF_8);
        }
    }

    final List<Stored> stored = new CopyOnWriteArrayList<>();
    final AtomicLong bytesInFlight = new AtomicLong();
    final AtomicInteger discarded = new AtomicInteger();
    final AtomicInteger begun = new AtomicInteger();
    volatile SubmissionException failOnBegin;
    volatile SubmissionException failOnCommit;
    volatile CountDownLatch commitGate;
    volatile CountDownLatch writeGate;
    final AtomicInteger writesStarted = new AtomicInteger();
    volatile boolean keepBytes = true;
    volatile String commitThread;
    volatile Set<String> localDomains = Set.of();
    volatile LocalRecipients localRecipients = LocalRecipients.ANY;
    private final AtomicInteger ids = new AtomicInteger();

    /** @return this spool, saying that begin, write and commitAsync of a small message do not block */
    NonBlockingSubmission nonBlocking() {
        return new NonBlockingSubmission() {
            @Override
            public NonBlockingWriter begin(Envelope envelope) throws SubmissionException {
                return MemorySubmission.this.begin(envelope);
            }

            @Override
            public Set<String> localDomains() {
                return MemorySubmission.this.localDomains();
            }

            @Override
            public LocalRecipients localRecipients() {
                return MemorySubmission.this.localRecipients();
            }
        };
    }

    @Override
    public Set<String> localDomains() {
        return localDomains;
    }

    @Override
    public LocalRecipients localRecipients() {
        return localRecipients;
    }

    @Override
    public NonBlockingWriter begin(Envelope envelope) throws SubmissionException {
        if (failOnBegin != null) {
            throw failOnBegin;
        }
        begun.incrementAndGet();
        return new NonBlockingWriter() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            private long size;
            private boolean committed;

            @Override
            public void write(byte[] octets, int offset, int length) {
                writesStarted.incrementAndGet();
                CountDownLatch gate = writeGate;
                if (gate != null) {
                    try {
                        gate.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                size += length;
                bytesInFlight.addAndGet(length);
                if (keepBytes) {
                    bytes.write(octets, offset, length);
                }
            }

            @Override
            public SubmissionReceipt commit() throws SubmissionException {
                commitThread = Thread.currentThread().getName();
                CountDownLatch gate = commitGate;
                if (gate != null) {
                    try {
                        gate.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (failOnCommit != null) {
                    throw failOnCommit;
                }
                String id = "M" + ids.incrementAndGet();
                stored.add(new Stored(id, envelope, bytes.toByteArray()));
                committed = true;
                return new SubmissionReceipt(id, Instant.now(), size);
            }

            @Override
            public void close() {
                if (!committed) {
                    discarded.incrementAndGet();
                }
            }
        };
    }
}
