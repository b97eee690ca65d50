package org.mailslot.smtp.internal;

import org.mailslot.support.mail.OctetWords;

/**
 * The octets of one message after DATA, in whatever pieces they arrive: passes them on with each
 * line's stuffed dot removed (RFC 5321 section 4.5.2) and finds the end of data. Only CRLF ends a
 * line; a bare CR or LF anywhere spoils the message (SMTP smuggling), and so does a message larger
 * than the limit: both are known at the end, when {@link #verdict()} says which.
 *
 * <p>No I/O, no allocation: each call reads a range of an array and writes into another. Runs of
 * ordinary lines are copied eight octets at a time ({@link OctetWords}); octet by octet only around
 * line breaks. Not thread-safe: one per message, used by its session's event loop.
 */
final class DataReceiver {

    /** What the message came to, once its end arrived. */
    enum Verdict { COMPLETE, BARE_LINE_ENDING, TOO_LARGE }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private enum State { LINE_START, IN_LINE, CR, DOT, DOT_CR }

    private final long maxSize;
    private State state = State.LINE_START;
    private long size;
    private boolean bare;
    private boolean tooLarge;
    private boolean ended;
    private int consumedTo;

    /** @param maxSize octets of content above which the message is refused */
    DataReceiver(long maxSize) {
        this.maxSize = maxSize;
    }

    /** @return the most octets {@link #receive} writes for {@code length} octets of input */
    static int room(int length) {
        // A CR held from the call before comes out with the LF that completes it.
        return length + 2;
    }

    /**
     * Takes the octets of {@code in} from {@code from} to before {@code to}, or up to the end of
     * data if that comes first ({@link #consumedTo()} says where it stopped), and writes the content
     * they carry into {@code out} from {@code at} on, which has {@link #room} for them.
     *
     * @return the index in {@code out} after the last octet written
     */
    int receive(byte[] in, int from, int to, byte[] out, int at) {
        int written = at;
        int i = from;
        while (i < to && !ended) {
            if (state == State.IN_LINE) {
                int run = ordinaryLinesEnd(in, i, to) - i;
                if (run > 0) {
                    System.arraycopy(in, i, out, written, run);
                    i += run;
                    written += run;
                    continue;
                }
            }
            byte b = in[i++];
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = State.DOT;
                    } else {
                        written = inLine(b, out, written);
                    }
                }
                case DOT -> {
                    if (b == CR) {
                        state = State.DOT_CR;
                    } else {
                        // The leading dot of a stuffed line goes.
                        written = inLine(b, out, written);
                    }
                }
                case DOT_CR -> {
                    if (b == LF) {
                        ended = true;
                    } else {
                        bare = true;
                        written = inLine(b, out, written);
                    }
                }
                case CR -> {
                    if (b == LF) {
                        out[written++] = CR;
                        out[written++] = LF;
                        state = State.LINE_START;
                    } else {
                        bare = true;
                        written = inLine(b, out, written);
                    }
                }
                default -> written = inLine(b, out, written);
            }
        }
        consumedTo = i;
        size += written - at;
        if (size > maxSize) {
            tooLarge = true;
        }
        return written;
    }

    /** @return the index in the last input after the last octet taken: the end of data, or its {@code to} */
    int consumedTo() {
        return consumedTo;
    }

    /** @return whether the end of data arrived */
    boolean ended() {
        return ended;
    }

    /** @return whether the content so far may still be stored: no bare line ending, not too large */
    boolean acceptable() {
        return !bare && !tooLarge;
    }

    /** @return octets of content so far (without stuffed dots), what the size limit counts */
    long size() {
        return size;
    }

    /** @return what the message came to; a bare line ending counts before the size */
    Verdict verdict() {
        return bare ? Verdict.BARE_LINE_ENDING : tooLarge ? Verdict.TOO_LARGE : Verdict.COMPLETE;
    }

    /**
     * @return where, from inside a line at {@code from}, the octets stop being ones DATA passes on
     *     unchanged: the first line break that is not a CRLF followed (in this range) by an octet
     *     other than a dot, CR or LF; {@code to} if there is none
     */
    private static int ordinaryLinesEnd(byte[] octets, int from, int to) {
        int i = from;
        while (true) {
            int lineBreak = OctetWords.indexOfLineBreak(octets, i, to);
            if (lineBreak + 2 >= to || octets[lineBreak] != CR || octets[lineBreak + 1] != LF) {
                return lineBreak;
            }
            byte next = octets[lineBreak + 2];
            if (next == '.' || next == CR || next == LF) {
                return lineBreak;
            }
            i = lineBreak + 3;
        }
    }

    private int inLine(byte b, byte[] out, int written) {
        if (b == CR) {
            state = State.CR;
            return written;
        }
        state = State.IN_LINE;
        if (b == LF) {
            // A bare LF: neither a line end nor content; the message will be refused.
            bare = true;
            return written;
        }
        out[written] = b;
        return written + 1;
    }
}
