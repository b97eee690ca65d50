package org.mailslot.shell.internal;

import org.mailslot.api.dkim.DkimKeys;

/** What the dkim-* commands share. */
final class DkimShell {

    private DkimShell() {
    }

    static DkimKeys keys(DkimKeys keys) {
        if (keys == null) {
            throw new IllegalStateException("DKIM is not available: the mailslot-dkim bundle is not running");
        }
        return keys;
    }

    /** @return the record as zone-file character-strings of at most 255 octets each */
    static String quoted(String record) {
        StringBuilder out = new StringBuilder();
        for (int at = 0; at < record.length(); at += 255) {
            if (at > 0) {
                out.append(' ');
            }
            out.append('"').append(record, at, Math.min(record.length(), at + 255)).append('"');
        }
        return out.toString();
    }
}
