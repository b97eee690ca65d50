package org.mailslot.smime.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An entity's octets, written on demand and the same each time: the entity to sign is written once
 * to digest it and once more into the encryption, instead of being assembled in an array of its own.
 */
@FunctionalInterface
interface Content {

    /**
     * Large ranges go out in pieces of this size: the cipher stream returns a new array as long as
     * each write, and a piece passes through cipher, BER and base64 while it is still in the cache.
     */
    int PIECE = 32 * 1024;

    void writeTo(OutputStream out) throws IOException;

    /** Writes {@code octets[from..to)} in pieces of {@link #PIECE} octets. */
    static void writeRange(OutputStream out, byte[] octets, int from, int to) throws IOException {
        for (int position = from; position < to; position += PIECE) {
            out.write(octets, position, Math.min(PIECE, to - position));
        }
    }
}
