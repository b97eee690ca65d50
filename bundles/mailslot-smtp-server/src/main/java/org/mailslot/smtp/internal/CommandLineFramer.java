package org.mailslot.smtp.internal;

/**
 * Command lines out of the octets a client sends, strictly: only CRLF ends a line. A bare CR or
 * LF spoils the line it is in (SMTP smuggling), and so do octets beyond the line length; the line
 * still ends at the next CRLF, so that the client's next command is read as the next command.
 *
 * <p>No I/O: each call reads a range of an array. Not thread-safe: one per session, on its loop.
 */
final class CommandLineFramer {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final byte[] line;
    private int length;
    private boolean tooLong;
    private boolean bare;
    private boolean sawCr;
    private boolean complete;

    /** @param maxLineLength octets per line including its CRLF */
    CommandLineFramer(int maxLineLength) {
        this.line = new byte[maxLineLength];
    }

    /**
     * Takes octets of {@code in} from {@code from} to before {@code to}, up to the end of a line.
     * When one ended, {@link #complete()} is true and the line is there to read until {@link #next()}.
     *
     * @return the index after the last octet taken
     */
    int frame(byte[] in, int from, int to) {
        int i = from;
        while (i < to) {
            byte b = in[i++];
            if (sawCr) {
                sawCr = false;
                if (b == LF) {
                    complete = true;
                    return i;
                }
                bare = true;
            }
            if (b == CR) {
                sawCr = true;
            } else if (b == LF) {
                bare = true;
            } else if (length < line.length - 2) {
                line[length++] = b;
            } else {
                tooLong = true;
            }
        }
        return i;
    }

    /** @return whether a whole line arrived */
    boolean complete() {
        return complete;
    }

    /** @return the octets of the line, without its CRLF, from 0 to {@link #length()} */
    byte[] octets() {
        return line;
    }

    int length() {
        return length;
    }

    /** @return whether a bare CR or LF was in the line */
    boolean bare() {
        return bare;
    }

    /** @return whether the line was longer than the limit (its excess is not kept) */
    boolean tooLong() {
        return tooLong;
    }

    /** Forgets the line, to read the next one. */
    void next() {
        length = 0;
        bare = false;
        tooLong = false;
        complete = false;
    }

    /** Forgets everything, a CR half way to a line end included: the input before is gone (STARTTLS). */
    void discard() {
        next();
        sawCr = false;
    }
}
