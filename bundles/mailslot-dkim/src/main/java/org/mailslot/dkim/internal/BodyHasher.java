package org.mailslot.dkim.internal;

import java.security.MessageDigest;

/**
 * Canonicalizes a body (RFC 6376 sections 3.4.3 and 3.4.4) and hashes it with SHA-256 as it
 * streams by, in pieces of any size: the canonical octets are gathered in one buffer of the hasher's
 * own and handed to the digest a buffer at a time (a digest call per run of words would cost more
 * than the words), so nothing is allocated per octet. Trailing empty lines are
 * held back as a count until content follows them. Not thread-safe; one per body and algorithm.
 */
final class BodyHasher {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] SPACE = {' '};
    private static final byte[] CR = {'\r'};

    private final boolean relaxed;
    private final MessageDigest digest;
    /** The l= limit: octets of canonical body to hash; Long.MAX_VALUE for all of it. */
    private final long limit;
    private long hashed;
    private long pendingCrlfs;
    private boolean pendingSpace;
    private boolean pendingCr;
    private boolean content;
    private final byte[] out = new byte[4096];
    private int outLength;

    BodyHasher(Canonicalization canonicalization, long limit) {
        this.relaxed = canonicalization == Canonicalization.RELAXED;
        this.limit = limit;
        this.digest = HeaderHash.newSha256();
    }

    BodyHasher(Canonicalization canonicalization) {
        this(canonicalization, Long.MAX_VALUE);
    }

    void update(byte[] buffer, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (pendingCr) {
                pendingCr = false;
                if (buffer[i] == '\n') {
                    endLine();
                    i++;
                    continue;
                }
                // A CR without LF is content of the line.
                beforeContent();
                emit(CR, 0, 1);
            }
            byte b = buffer[i];
            if (b == '\r') {
                pendingCr = true;
                i++;
                continue;
            }
            if (relaxed && (b == ' ' || b == '\t')) {
                pendingSpace = true;
                i++;
                continue;
            }
            if (pendingCrlfs > 0 || pendingSpace) {
                beforeContent();
            }
            content = true;
            int run = i;
            i = runEnd(buffer, i + 1, end);
            emit(buffer, run, i - run);
        }
        flush();
    }

    /**
     * @return where the run of content octets from {@code i} ends: at a CR, or (relaxed) at a tab or a space
     *     that is followed by WSP, a CR or the end of the piece. A lone space between words is content as it
     *     stands, so ordinary text is one run per line instead of one per word.
     */
    private int runEnd(byte[] buffer, int i, int end) {
        while (i < end) {
            byte b = buffer[i];
            if (b > ' ') {
                i++;
            } else if (b == '\r') {
                return i;
            } else if (!relaxed || b != ' ' && b != '\t') {
                i++;
            } else if (b == ' ' && i + 1 < end && buffer[i + 1] != ' ' && buffer[i + 1] != '\t'
                    && buffer[i + 1] != '\r') {
                i += 2;
            } else {
                return i;
            }
        }
        return end;
    }

    /** @return the body hash; the hasher is done */
    byte[] finish() {
        if (pendingCr) {
            pendingCr = false;
            beforeContent();
            emit(CR, 0, 1);
            content = true;
        }
        if (content) {
            // A non-empty body ends with exactly one CRLF.
            emit(CRLF, 0, 2);
        } else if (!relaxed) {
            // An empty body is one CRLF for simple (3.4.3), nothing for relaxed (3.4.4).
            emit(CRLF, 0, 2);
        }
        flush();
        return digest.digest();
    }

    private void endLine() {
        // The WSP at the end of a line goes (relaxed); the line end waits: it may end the body.
        pendingSpace = false;
        pendingCrlfs++;
    }

    private void beforeContent() {
        while (pendingCrlfs > 0) {
            emit(CRLF, 0, 2);
            pendingCrlfs--;
        }
        if (pendingSpace) {
            emit(SPACE, 0, 1);
            pendingSpace = false;
        }
        content = true;
    }

    private void emit(byte[] bytes, int offset, int length) {
        if (length <= 0 || hashed >= limit) {
            return;
        }
        int take = (int) Math.min(length, limit - hashed);
        hashed += take;
        if (take > out.length - outLength) {
            flush();
            if (take > out.length) {
                digest.update(bytes, offset, take);
                return;
            }
        }
        System.arraycopy(bytes, offset, out, outLength, take);
        outLength += take;
    }

    private void flush() {
        if (outLength > 0) {
            digest.update(out, 0, outLength);
            outLength = 0;
        }
    }
}
