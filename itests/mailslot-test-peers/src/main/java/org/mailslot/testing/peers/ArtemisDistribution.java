package org.mailslot.testing.peers;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Apache ActiveMQ Artemis' binary distribution ({@code org.apache.activemq:apache-artemis:VERSION:tar.gz:bin}),
 * taken from the local Maven repository and unpacked once into the temporary directory, where every
 * {@link ArtemisPeer} creates its instance from it.
 *
 * <p>The archive is found at {@code -Dmailslot.artemis.distribution} if set, else in the repository
 * named by {@code -Dmaven.repo.local}, else in {@code ~/.m2/repository}; the POM of a module that
 * starts brokers declares the artifact so that Maven puts it there.
 */
public final class ArtemisDistribution {

    /** The Artemis release the tests run. */
    public static final String VERSION = "2.40.0";

    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(2);

    private ArtemisDistribution() {
    }

    /**
     * @return the unpacked distribution's home ({@code bin/artemis} is in it), unpacked on first use
     * @throws PeerException naming the missing archive or what tar printed
     */
    public static synchronized Path home() {
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "mailslot-apache-artemis-" + VERSION);
        if (Files.isExecutable(home.resolve("bin/artemis"))) {
            return home;
        }
        Path archive = archive();
        Path staging = Processes.createWorkDirectory("artemis-unpack-");
        Processes.runChecked(UNPACK_TIMEOUT, "tar", "xzf", archive.toString(), "-C", staging.toString());
        try {
            Files.move(staging.resolve("apache-artemis-" + VERSION), home, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // Another JVM unpacked it first: its copy is as good as this one.
        } catch (IOException e) {
            throw new PeerException("cannot move the unpacked Artemis to " + home + ": " + e.getMessage(), e);
        } finally {
            Processes.deleteTree(staging);
        }
        if (!Files.isExecutable(home.resolve("bin/artemis"))) {
            throw new PeerException(archive + " did not unpack to a distribution with bin/artemis in " + home);
        }
        return home;
    }

    /** @return the distribution archive in the local Maven repository */
    static Path archive() {
        String explicit = System.getProperty("mailslot.artemis.distribution");
        Path archive = explicit != null ? Path.of(explicit) : repository().resolve("org/apache/activemq/apache-artemis")
                .resolve(VERSION).resolve("apache-artemis-" + VERSION + "-bin.tar.gz");
        if (!Files.isRegularFile(archive)) {
            throw new PeerException("the Artemis distribution is not at " + archive + "; resolve it with mvn"
                    + " dependency:get -Dartifact=org.apache.activemq:apache-artemis:" + VERSION + ":tar.gz:bin"
                    + " (or name the archive with -Dmailslot.artemis.distribution)");
        }
        return archive;
    }

    private static Path repository() {
        String local = System.getProperty("maven.repo.local");
        return local != null && !local.isBlank() ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
