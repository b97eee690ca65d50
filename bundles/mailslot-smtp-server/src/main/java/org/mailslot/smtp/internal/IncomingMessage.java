package org.mailslot.smtp.internal;

import java.io.IOException;
import java.util.Arrays;

import org.mailslot.api.mail.MessageSource;

import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.NonBlockingSubmission;
import org.mailslot.api.submission.SubmissionException;

/**
 * One message between 354 and the end of data: the octets the client sends go through the
 * {@link DataReceiver} and on to the spool's writer. While the message is small
 * ({@link NonBlockingSubmission#SMALL_MESSAGE}) its content is held here and unstuffed straight into what
 * is held, so that it reaches the spool in one step with its commit; past that, each read is handed
 * to a worker ({@link SpoolSteps#write}). A message that waits for its sender checks is held the same
 * way, and past that goes to its {@link SpillFile} instead of the spool, until the checks let it in.
 * Content is passed on only while the message may still be
 * stored: after a bare line ending or past the size limit it is read to its end and dropped.
 *
 * <p>Used on the session's loop, except {@link #writeFailure}, which workers set.
 */
final class IncomingMessage {

    private final DataReceiver receiver;
    private final MessageWriter writer;
    private final boolean inline;
    private final SpoolSteps steps;
    private final int holdLimit;
    private final SenderCheck senderCheck;
    private final SpillFile spill;
    private byte[] held = new byte[0];
    private int heldLength;
    private boolean handedOver;
    private volatile SubmissionException writeFailure;

    /**
     * @param inline whether the writer came from a spool that takes small messages without blocking
     * @param headerLength octets already written (the Received header), which count against the hold limit
     * @param senderCheck the sender checks the message goes through at its end, null if none: then
     *     what is not held waits in a spill file, as the results go on top
     */
    IncomingMessage(DataReceiver receiver, MessageWriter writer, boolean inline, SpoolSteps steps, int headerLength,
            SenderCheck senderCheck) {
        this.receiver = receiver;
        this.writer = writer;
        this.inline = inline;
        this.steps = steps;
        this.senderCheck = senderCheck;
        this.spill = senderCheck != null ? new SpillFile() : null;
        this.holdLimit = NonBlockingSubmission.SMALL_MESSAGE - headerLength;
    }

    /**
     * Takes the octets of {@code in} from {@code from} to before {@code to}, or up to the end of data.
     *
     * @return the index after the last octet taken
     */
    int receive(byte[] in, int from, int to) {
        int room = DataReceiver.room(to - from);
        // A message still small enough to hold is unstuffed straight into what is held.
        boolean holding = (long) heldLength + room <= holdLimit;
        byte[] out = holding ? heldWithRoom(room) : new byte[room];
        int start = holding ? heldLength : 0;
        int written = receiver.receive(in, from, to, out, start);
        if (written > start && receiver.acceptable()) {
            if (holding) {
                heldLength = written;
            } else {
                write(out, written);
            }
        }
        return receiver.consumedTo();
    }

    /** @return whether the end of data arrived */
    boolean ended() {
        return receiver.ended();
    }

    DataReceiver.Verdict verdict() {
        return receiver.verdict();
    }

    /** @return octets of content received, what the size limit and the data deadline count */
    long size() {
        return receiver.size();
    }

    MessageWriter writer() {
        return writer;
    }

    boolean inline() {
        return inline;
    }

    /** @return whether any of the message went to a worker (the writer, or the spill file) before its end */
    boolean handedOver() {
        return handedOver;
    }

    /** @return what is held, from 0 to {@link #heldLength()}: all of a small message, or the tail of a large one */
    byte[] held() {
        return held;
    }

    int heldLength() {
        return heldLength;
    }

    /** @return the sender checks at the end, null if none */
    SenderCheck senderCheck() {
        return senderCheck;
    }

    /**
     * Writes octets handed to a worker: into the spool, or, while the message waits for its checks, into
     * its spill file. On a worker.
     */
    void writeHandedOver(byte[] chunk, int length) throws SubmissionException {
        if (spill != null) {
            spill.write(chunk, 0, length);
        } else {
            writer.write(chunk, 0, length);
        }
    }

    /**
     * @return the message as received, for the checks: what was spilled, then what is held (not
     *     copied: read it before anything is held instead). On a worker, after every write.
     */
    MessageSource content() throws IOException {
        return spill != null ? spill.followedBy(held, heldLength) : MessageSource.of(Arrays.copyOf(held, heldLength));
    }

    /** Deletes what was spilled, if anything: once the message is stored or refused. On a worker, or with nothing spilled. */
    void releaseSpill() {
        if (spill != null) {
            spill.close();
        }
    }

    /** Holds this instead of what is held: the message with its check results on top, or nothing once it was written. */
    void replaceHeld(byte[] content) {
        held = content;
        heldLength = content.length;
    }

    SubmissionException writeFailure() {
        return writeFailure;
    }

    void writeFailed(SubmissionException e) {
        writeFailure = e;
    }

    private void write(byte[] chunk, int length) {
        if ((long) heldLength + length <= holdLimit) {
            System.arraycopy(chunk, 0, heldWithRoom(length), heldLength, length);
            heldLength += length;
            return;
        }
        // What is held goes first, in order before anything written after it.
        if (heldLength > 0) {
            handOver(held, heldLength);
        }
        held = new byte[0];
        heldLength = 0;
        handOver(chunk, length);
    }

    private void handOver(byte[] chunk, int length) {
        handedOver = true;
        steps.write(this, chunk, length);
    }

    /** @return the held buffer, grown (at most to the hold limit) to take {@code more} octets after what it holds */
    private byte[] heldWithRoom(int more) {
        if (held.length < heldLength + more) {
            held = Arrays.copyOf(held, (int) Math.min(holdLimit, Math.max(heldLength + more, 2L * held.length)));
        }
        return held;
    }
}
