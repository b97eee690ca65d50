package com.example.mailslot.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the body parts of a multipart body lie (RFC 2046 section 5.1.1), so that one part can be
 * replaced while preamble, delimiters, the other parts and the epilogue stay byte for byte.
 */
public final class Multipart {

    /** The octets of one body part: {@code body[start, end)}, headers and content, without the CRLF before the next delimiter. */
    public record Part(int start, int end) {
    }

    private final byte[] body;
    private final List<Part> parts;

    private Multipart(byte[] body, List<Part> parts) {
        this.body = body;
        this.parts = List.copyOf(parts);
    }

    /**
     * @param body a multipart body
     * @param boundary the boundary parameter of its Content-Type
     * @return the parts, or empty if the body does not hold a closed multipart with that boundary
     */
    public static Optional<Multipart> split(byte[] body, String boundary) {
        byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int partStart = -1;
        int searchFrom = 0;
        while (true) {
            int at = nextDelimiter(body, dashBoundary, searchFrom);
            if (at < 0) {
                return Optional.empty();
            }
            int after = at + dashBoundary.length;
            boolean closing = after + 1 < body.length && body[after] == '-' && body[after + 1] == '-';
            if (partStart >= 0) {
                // The CRLF before the delimiter belongs to the delimiter.
                parts.add(new Part(partStart, Math.max(partStart, at - 2)));
            }
            if (closing) {
                return parts.isEmpty() ? Optional.empty() : Optional.of(new Multipart(body, parts));
            }
            int lineEnd = MimeEntity.indexOf(body, new byte[] {'\r', '\n'}, after);
            if (lineEnd < 0) {
                return Optional.empty();
            }
            partStart = lineEnd + 2;
            searchFrom = partStart;
        }
    }

    /** A delimiter starts the body or a line, and only blanks may follow the boundary on its line. */
    private static int nextDelimiter(byte[] body, byte[] dashBoundary, int from) {
        int at = MimeEntity.indexOf(body, dashBoundary, from);
        while (at >= 0) {
            boolean startsLine = at == 0 || (at >= 2 && body[at - 2] == '\r' && body[at - 1] == '\n');
            int after = at + dashBoundary.length;
            int i = after;
            if (i + 1 < body.length && body[i] == '-' && body[i + 1] == '-') {
                i += 2;
            }
            while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
                i++;
            }
            boolean endsLine = i == body.length || (i + 1 < body.length && body[i] == '\r' && body[i + 1] == '\n');
            if (startsLine && endsLine) {
                return at;
            }
            at = MimeEntity.indexOf(body, dashBoundary, at + 1);
        }
        return -1;
    }

    /** @return the parts in order */
    public List<Part> parts() {
        return parts;
    }

    /** @return one part as an entity */
    public MimeEntity entity(Part part) {
        byte[] octets = new byte[part.end() - part.start()];
        System.arraycopy(body, part.start(), octets, 0, octets.length);
        return MimeEntity.parse(octets);
    }

    /** @return the multipart body with one part's octets replaced, everything else unchanged */
    public byte[] replace(Part part, byte[] octets) {
        return splice(body, part, octets);
    }

    /** @return {@code body} with the octets of {@code part} replaced; parts after it move, parts before it stay */
    public static byte[] splice(byte[] body, Part part, byte[] octets) {
        byte[] result = new byte[body.length - (part.end() - part.start()) + octets.length];
        System.arraycopy(body, 0, result, 0, part.start());
        System.arraycopy(octets, 0, result, part.start(), octets.length);
        System.arraycopy(body, part.end(), result, part.start() + octets.length, body.length - part.end());
        return result;
    }
}
