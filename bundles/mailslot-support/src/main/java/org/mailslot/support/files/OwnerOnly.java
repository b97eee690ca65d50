package org.mailslot.support.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Mail and secrets are the owner's alone, as in Postfix's queue: directories {@code rwx------},
 * files {@code rw-------}. The modes are given when a file or directory is created, so no umask
 * can widen them (a umask only takes bits away); on a file system without POSIX modes nothing is
 * set.
 */
public final class OwnerOnly {

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];
    private static final FileAttribute<?>[] FILE_ATTRIBUTES = {PosixFilePermissions.asFileAttribute(FILE)};
    private static final FileAttribute<?>[] DIRECTORY_ATTRIBUTES = {PosixFilePermissions.asFileAttribute(DIRECTORY)};

    private OwnerOnly() {
    }

    /** @return whether the file system of {@code path} has POSIX modes */
    public static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** @return the attributes to create an owner-only file with, for {@code Files.newByteChannel} and the like */
    public static FileAttribute<?>[] fileAttributes() {
        return isPosix(Path.of("")) ? FILE_ATTRIBUTES.clone() : NONE;
    }

    /** Creates a directory and its missing parents, each owner-only; an existing one is left as it is. */
    public static Path createDirectories(Path directory) throws IOException {
        return Files.createDirectories(directory, isPosix(directory) ? DIRECTORY_ATTRIBUTES.clone() : NONE);
    }

    /**
     * Creates the directory owner-only, or makes an existing one owner-only: what is below a
     * directory others cannot enter is out of their reach, whatever its own modes.
     */
    public static Path directory(Path directory) throws IOException {
        return directory(directory, "directory");
    }

    /**
     * As {@link #directory(Path)}, failing with an error that names where the directory is configured.
     *
     * @param property what configures it, e.g. {@code org.mailslot.delivery spool.directory}
     */
    public static Path directory(Path directory, String property) throws IOException {
        try {
            return ownerOnly(directory);
        } catch (IOException e) {
            throw new IOException(property + " " + directory + " cannot be made owner-only (rwx------): " + e, e);
        }
    }

    private static Path ownerOnly(Path directory) throws IOException {
        createDirectories(directory);
        if (isPosix(directory)) {
            PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!view.readAttributes().permissions().equals(DIRECTORY)) {
                view.setPermissions(DIRECTORY);
            }
        }
        return directory;
    }
}
