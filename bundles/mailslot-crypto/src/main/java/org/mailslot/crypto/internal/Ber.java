package org.mailslot.crypto.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of ASN.1 BER (X.690) to walk a CMS structure without decoding it: tags, definite
 * and indefinite lengths, children of constructed elements. Any inconsistency is an
 * {@link IllegalArgumentException}. Immutable over the octets it was given.
 */
final class Ber {

    static final int UNIVERSAL = 0;
    static final int CONTEXT = 2;
    static final int INTEGER = 2;
    static final int OCTET_STRING = 4;
    static final int OID = 6;
    static final int SEQUENCE = 16;
    static final int SET = 17;

    /** Nested deeper than this is refused, so that crafted input cannot exhaust the stack. */
    private static final int MAX_DEPTH = 32;

    /**
     * One element: {@code [start, end)} are all its octets, {@code [contentStart, contentEnd)} its
     * contents (for an indefinite length, without the end-of-contents octets).
     */
    record Element(byte[] octets, int tagClass, boolean constructed, int tagNumber, int start, int contentStart,
            int contentEnd, int end, int depth) {

        boolean is(int wantedClass, int wantedNumber) {
            return tagClass == wantedClass && tagNumber == wantedNumber;
        }

        int contentLength() {
            return contentEnd - contentStart;
        }

        /** @return the children of a constructed element */
        List<Element> children() {
            if (!constructed) {
                throw new IllegalArgumentException("a primitive element has no children");
            }
            List<Element> children = new ArrayList<>();
            int at = contentStart;
            while (at < contentEnd) {
                Element child = read(octets, at, contentEnd, depth + 1);
                children.add(child);
                at = child.end();
            }
            return children;
        }

        /** @return the dotted form of an OBJECT IDENTIFIER */
        String oid() {
            if (!is(UNIVERSAL, OID) || constructed || contentLength() == 0) {
                throw new IllegalArgumentException("not an object identifier");
            }
            StringBuilder text = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (int i = contentStart; i < contentEnd; i++) {
                int b = octets[i] & 0xff;
                if (value > (Long.MAX_VALUE >> 7)) {
                    throw new IllegalArgumentException("an object identifier arc is too large");
                }
                value = (value << 7) | (b & 0x7f);
                if ((b & 0x80) == 0) {
                    if (first) {
                        long top = Math.min(value / 40, 2);
                        text.append(top).append('.').append(value - top * 40);
                        first = false;
                    } else {
                        text.append('.').append(value);
                    }
                    value = 0;
                } else if (i + 1 == contentEnd) {
                    throw new IllegalArgumentException("an object identifier ends inside an arc");
                }
            }
            return text.toString();
        }
    }

    private Ber() {
    }

    /** @return the one element that fills the octets (trailing zero padding aside) */
    static Element only(byte[] octets) {
        Element element = read(octets, 0, octets.length, 0);
        for (int i = element.end(); i < octets.length; i++) {
            if (octets[i] != 0) {
                throw new IllegalArgumentException("octets after the structure");
            }
        }
        return element;
    }

    static Element read(byte[] octets, int start, int limit, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
        }
        int at = start;
        int identifier = octet(octets, at++, limit);
        int tagClass = identifier >>> 6;
        boolean constructed = (identifier & 0x20) != 0;
        int tagNumber = identifier & 0x1f;
        if (tagNumber == 0x1f) {
            tagNumber = 0;
            int b;
            do {
                b = octet(octets, at++, limit);
                if (tagNumber > (Integer.MAX_VALUE >> 7)) {
                    throw new IllegalArgumentException("a tag number is too large");
                }
                tagNumber = (tagNumber << 7) | (b & 0x7f);
            } while ((b & 0x80) != 0);
        }
        int first = octet(octets, at++, limit);
        if (first == 0x80) {
            if (!constructed) {
                throw new IllegalArgumentException("an indefinite length on a primitive element");
            }
            int contentStart = at;
            while (true) {
                if (octet(octets, at, limit) == 0 && octet(octets, at + 1, limit) == 0) {
                    return new Element(octets, tagClass, true, tagNumber, start, contentStart, at, at + 2, depth);
                }
                at = read(octets, at, limit, depth + 1).end();
            }
        }
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count > 4) {
                throw new IllegalArgumentException("a length of " + count + " octets");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | octet(octets, at++, limit);
            }
        }
        if (length > limit - at) {
            throw new IllegalArgumentException("an element longer than what holds it");
        }
        int contentEnd = at + (int) length;
        return new Element(octets, tagClass, constructed, tagNumber, start, at, contentEnd, contentEnd, depth);
    }

    private static int octet(byte[] octets, int at, int limit) {
        if (at >= limit) {
            throw new IllegalArgumentException("the structure ends early");
        }
        return octets[at] & 0xff;
    }
}
