package org.mailslot.openpgp.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import org.mailslot.api.transport.MessageSource;

/** A growing buffer whose contents become a message or are read without another copy. */
final class Octets extends ByteArrayOutputStream {

    Octets(int size) {
        super(size);
    }

    /** @return a source over the bytes written so far; write nothing more afterwards */
    MessageSource source() {
        byte[] bytes = buf;
        int length = count;
        return () -> new ByteArrayInputStream(bytes, 0, length);
    }

    byte[] array() {
        return buf;
    }

    int length() {
        return count;
    }
}
