package org.mailslot.support.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;

/**
 * The passphrase that protects secret material in {@code etc/mailslot/keys/}: the configured
 * {@code .keys.passphrase} of the store's PID ({@code org.mailslot.openpgp}, {@code org.mailslot.smime}), or else the one in
 * {@code etc/mailslot/keys/.passphrase}, generated once (owner-only) by whichever crypto bundle
 * needs it first (OpenPGP and S/MIME both use this class, so they agree): 32
 * random bytes, base64url without padding, UTF-8, surrounding blanks ignored when read.
 */
public final class StorePassphrase {

    public static final String FILE_NAME = ".passphrase";

    private StorePassphrase() {
    }

    /**
     * @param pid the PID whose {@code .keys.passphrase} was read, for the warnings
     * @param configured the configured passphrase, or null/empty
     * @param file {@code etc/mailslot/keys/.passphrase}
     * @param log where the one warning about a generated passphrase goes: each bundle that uses
     *     it warns once when it starts (or is reconfigured), never per message
     * @return the passphrase
     * @throws IOException if the file can neither be read nor created, or is empty
     */
    public static char[] resolve(String pid, String configured, Path file, Logger log) throws IOException {
        if (configured != null && !configured.isEmpty()) {
            return configured.toCharArray();
        }
        if (!Files.exists(file) && create(file)) {
            log.warn("No .keys.passphrase in configuration {}: generated one into {} (owner-only)."
                    + " Keep a copy of it with your backups; without it the stored secret keys cannot be used. Secret"
                    + " keys are protected only as well as that file: set .keys.passphrase to keep the passphrase"
                    + " away from the keys.", pid, file);
        } else {
            log.warn("Secret keys in {} are protected by the generated passphrase stored beside them in {}: whoever"
                    + " can read that directory can use them. To keep it elsewhere, set .keys.passphrase of configuration"
                    + " {} to its value (stored keys stay protected with it) and delete the file.",
                    file.getParent(), file, pid);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IOException(file + " is empty; delete it to have a new passphrase generated, or configure"
                    + " .keys.passphrase in " + pid);
        }
        return text.toCharArray();
    }

    /** @return true if this call created the file; false if another bundle was first */
    private static boolean create(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temporary = Files.createTempFile(directory, ".passphrase-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, passphrase, StandardCharsets.UTF_8);
            // A hard link never replaces: if the other crypto bundle created the file meanwhile, its passphrase wins.
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
