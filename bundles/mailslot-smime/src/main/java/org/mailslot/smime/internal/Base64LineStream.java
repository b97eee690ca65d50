package org.mailslot.smime.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Base64 of what is written, in lines of 76 characters each ended by CR LF, the same octets as
 * {@link SmimeFormat#base64Lines} of it all (if anything was written): so that a protected message is encoded as it is
 * encrypted, without a copy of the whole. {@link #finish} writes the last line; neither it nor
 * {@link #close} closes the stream underneath.
 */
final class Base64LineStream extends OutputStream {

    /** Whole lines of input (57 octets each), so that chunks encode to whole lines. */
    private static final int CHUNK = 57 * 256;
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(76, SmimeFormat.CRLF);

    private final OutputStream out;
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] encoded = new byte[CHUNK / 57 * 78];
    private int count;
    private boolean finished;

    Base64LineStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        chunk[count++] = (byte) b;
        if (count == CHUNK) {
            encodeChunk();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, CHUNK - count);
            System.arraycopy(b, off, chunk, count, n);
            count += n;
            off += n;
            len -= n;
            if (count == CHUNK) {
                encodeChunk();
            }
        }
    }

    private void encodeChunk() throws IOException {
        int n = BASE64.encode(chunk, encoded);
        encoded[n] = '\r';
        encoded[n + 1] = '\n';
        out.write(encoded, 0, n + 2);
        count = 0;
    }

    /** Writes the last, shorter line, if any, with its CR LF. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (count > 0) {
            byte[] last = BASE64.encode(Arrays.copyOf(chunk, count));
            out.write(last);
            out.write(SmimeFormat.CRLF);
            count = 0;
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
