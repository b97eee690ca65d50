package org.mailslot.openpgp.internal;

/**
 * Bounds on what opening a message may cost.
 *
 * @param maxPlaintextBytes the most bytes a decrypted (and decompressed) message may have
 * @param maxCompressionDepth how many compressed packets may nest (gpg and sop tools use one)
 */
record Limits(long maxPlaintextBytes, int maxCompressionDepth) {

    /** The default of an SMTP listener's max.message.size (35 MiB): no more than Mailslot accepts in clear. */
    static final long DEFAULT_MAX_PLAINTEXT_BYTES = 36_700_160L;

    static final Limits DEFAULT = new Limits(DEFAULT_MAX_PLAINTEXT_BYTES, 2);

    Limits {
        if (maxPlaintextBytes < 1024) {
            throw new IllegalArgumentException("openpgp.max.plaintext.bytes must be at least 1024, not " + maxPlaintextBytes);
        }
        if (maxCompressionDepth < 0 || maxCompressionDepth > 8) {
            throw new IllegalArgumentException("openpgp.max.compression.depth must be 0 to 8, not " + maxCompressionDepth);
        }
    }
}
