package org.mailslot.smime.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import org.mailslot.api.transport.MessageSource;

/** Where a protected message is written: its octets are then read from the buffer itself, not from a copy of it. */
final class OctetBuffer extends ByteArrayOutputStream {

    OctetBuffer(int size) {
        super(size);
    }

    /** @return the octets written so far; the buffer must not be written to afterwards */
    MessageSource source() {
        byte[] octets = buf;
        int length = count;
        return () -> new ByteArrayInputStream(octets, 0, length);
    }
}
