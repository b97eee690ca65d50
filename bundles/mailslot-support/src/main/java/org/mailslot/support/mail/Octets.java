package org.mailslot.support.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import org.mailslot.api.mail.MessageSource;

/** A growing buffer whose contents become a message, or are read, without another copy. */
public final class Octets extends ByteArrayOutputStream {

    public Octets(int size) {
        super(size);
    }

    /** @return a source over the octets written so far; write nothing more afterwards */
    public MessageSource source() {
        byte[] octets = buf;
        int length = count;
        return () -> new ByteArrayInputStream(octets, 0, length);
    }

    /** @return the buffer itself, valid up to {@link #length()} */
    public byte[] array() {
        return buf;
    }

    public int length() {
        return count;
    }
}
