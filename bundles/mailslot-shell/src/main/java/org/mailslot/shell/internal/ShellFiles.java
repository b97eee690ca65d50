package org.mailslot.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;

import org.mailslot.support.files.OwnerOnly;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The one directory whose files the {@code mailslot} commands read ({@code send --file},
 * {@code key-import}) and write ({@code key-export --output}). A command takes a plain file name in
 * it, never a path, so no command can be pointed at another file of the host; a symbolic link is
 * neither followed nor replaced, and an existing file is overwritten only when asked to.
 */
final class ShellFiles {

    static final String PID = ShellPid.PID;
    static final String DIRECTORY_PROPERTY = "files.directory";
    private static final String WHERE = PID + " " + DIRECTORY_PROPERTY;

    private final Path directory;

    ShellFiles(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** @return the directory configured in {@value #PID}, else {@code ${karaf.data}/mailslot/shell} */
    static ShellFiles configured(ConfigurationAdmin admin) {
        return of(ShellPid.property(admin, DIRECTORY_PROPERTY));
    }

    /**
     * @param configured the value of {@value #DIRECTORY_PROPERTY}, or null
     * @throws IllegalArgumentException naming the property if the value is not an absolute path
     */
    static ShellFiles of(Object configured) {
        if (configured != null && !configured.toString().isBlank()) {
            Path path = Path.of(configured.toString().strip());
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException(WHERE + " must be an absolute path: " + configured);
            }
            return new ShellFiles(path);
        }
        String data = System.getProperty("karaf.data", "data");
        return new ShellFiles(Path.of(data, "mailslot", "shell"));
    }

    Path directory() {
        return directory;
    }

    /**
     * Reads a whole file of the directory.
     *
     * @param option the command's option or argument that named the file, for the error
     */
    byte[] read(String option, String name, long maxSize) throws IOException {
        Path file = resolve(option, name);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("No such file: " + file + " (" + option + " names a file in " + directory
                    + ", " + WHERE + ")");
        }
        if (attributes.isSymbolicLink()) {
            throw new IllegalArgumentException(file + " is a symbolic link; " + option + " reads only plain files of "
                    + directory);
        }
        if (!attributes.isRegularFile()) {
            throw new IllegalArgumentException(file + " is not a regular file");
        }
        if (attributes.size() > maxSize) {
            throw new IllegalArgumentException(file + " is larger than " + maxSize + " bytes");
        }
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            byte[] content = in.readNBytes((int) maxSize + 1);
            if (content.length > maxSize) {
                throw new IllegalArgumentException(file + " is larger than " + maxSize + " bytes");
            }
            return content;
        }
    }

    /**
     * Writes a file of the directory, owner-only.
     *
     * @param overwrite whether an existing file (never a symbolic link) may be replaced
     * @return the file written
     */
    Path write(String option, String name, byte[] content, boolean overwrite) throws IOException {
        Path file = resolve(option, name);
        Set<OpenOption> options = new HashSet<>(Set.of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        if (overwrite) {
            if (Files.isSymbolicLink(file)) {
                throw new IllegalArgumentException(file + " is a symbolic link; " + option + " never writes through one");
            }
            options.add(StandardOpenOption.CREATE);
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            options.add(StandardOpenOption.CREATE_NEW);
        }
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file, options, OwnerOnly.fileAttributes()))) {
            out.write(content);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + " exists; give --force to overwrite it");
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(file)) {
                throw new IllegalArgumentException(file + " is a symbolic link; " + option + " never writes through one");
            }
            throw e;
        }
        return file;
    }

    private Path resolve(String option, String name) throws IOException {
        if (name == null || name.isBlank() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(option + " takes the name of a file in " + directory + " (" + WHERE
                    + "), not a path: " + name);
        }
        requireDirectory();
        return directory.resolve(name);
    }

    /** Creates the directory owner-only; refuses one that is a link or that other users may write to. */
    private void requireDirectory() throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            OwnerOnly.createDirectories(directory);
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(WHERE + " " + directory + " is not a directory (or is a symbolic link)");
        }
        if (OwnerOnly.isPosix(directory)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalArgumentException(WHERE + " " + directory + " may be written by other users; make it"
                        + " owner-only (chmod 700)");
            }
        }
    }
}
