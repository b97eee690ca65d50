package org.mailslot.tls.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.mailslot.support.text.ErrorText;

/**
 * The files one load read, each with a stamp of what it held (its length and SHA-256, or
 * missing), so that a later check tells whether any of them is different now: changed, removed,
 * or back after it was missing. Contents, not modification times, so a file replaced within the
 * same second still counts.
 */
final class FileStamps {

    private static final String MISSING = "missing";

    private final Map<Path, String> stamps = new LinkedHashMap<>();

    /**
     * Reads a file and stamps it; a file that cannot be read is stamped missing.
     *
     * @throws MaterialException naming the file, when it is absent or unreadable
     */
    byte[] read(Path file) throws MaterialException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            stamps.put(file, hash(bytes));
            return bytes;
        } catch (NoSuchFileException e) {
            stamps.put(file, MISSING);
            throw MaterialException.of(file, "file not found");
        } catch (AccessDeniedException e) {
            stamps.put(file, MISSING);
            throw MaterialException.of(file, "not readable (permission denied)");
        } catch (IOException e) {
            stamps.put(file, MISSING);
            throw MaterialException.of(file, "cannot be read (" + ErrorText.of(e) + ")");
        }
    }

    /** @return true if a file stamped here is different now */
    boolean changed() {
        for (Map.Entry<Path, String> entry : stamps.entrySet()) {
            if (!entry.getValue().equals(stamp(entry.getKey()))) {
                return true;
            }
        }
        return false;
    }

    /** @return the files stamped, in the order they were read */
    Set<Path> files() {
        return java.util.Collections.unmodifiableSet(stamps.keySet());
    }

    private static String stamp(Path file) {
        try {
            return hash(Files.readAllBytes(file));
        } catch (IOException e) {
            return MISSING;
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return bytes.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
