package org.mailslot.testing.peers;

import java.time.Duration;

/**
 * A live/backup pair of {@link ArtemisPeer}s with replication: the primary on 127.0.0.40, the backup on
 * 127.0.0.41, both on port 61616. {@link #start()} waits until the backup is synchronized; after
 * {@code primary().kill()}, {@code backup().awaitActive(...)} waits for the failover. Clients connect
 * with {@link #url()}, which names both and asks for high availability.
 */
public final class ArtemisPair implements AutoCloseable {

    /** The default backup address. */
    public static final String DEFAULT_BACKUP_ADDRESS = "127.0.0.41";

    private final ArtemisPeer primary;
    private final ArtemisPeer backup;

    private ArtemisPair(ArtemisPeer primary, ArtemisPeer backup) {
        this.primary = primary;
        this.backup = backup;
    }

    /**
     * Creates and starts a pair on 127.0.0.40 and 127.0.0.41, port 61616, user {@code mailslot}.
     *
     * @return the running pair, the backup synchronized
     * @throws PeerException with a log's tail if either does not start
     */
    public static ArtemisPair start() {
        String primaryUrl = "tcp://" + ArtemisPeer.DEFAULT_ADDRESS + ":" + ArtemisPeer.DEFAULT_PORT;
        String backupUrl = "tcp://" + DEFAULT_BACKUP_ADDRESS + ":" + ArtemisPeer.DEFAULT_PORT;
        ArtemisPeer primary = ArtemisPeer.builder().role(ArtemisPeer.Role.PRIMARY, backupUrl).start();
        try {
            ArtemisPeer backup = ArtemisPeer.builder().address(DEFAULT_BACKUP_ADDRESS)
                    .role(ArtemisPeer.Role.BACKUP, primaryUrl).start();
            return new ArtemisPair(primary, backup);
        } catch (RuntimeException e) {
            primary.close();
            throw e;
        }
    }

    /** @return the live broker */
    public ArtemisPeer primary() {
        return primary;
    }

    /** @return the backup broker */
    public ArtemisPeer backup() {
        return backup;
    }

    /**
     * @return Artemis' URL for the pair: both brokers, {@code ha=true}, reconnecting without end, so a
     *         client follows the failover
     */
    public String url() {
        return "(" + primary.url() + "," + backup.url() + ")?ha=true&reconnectAttempts=-1&retryInterval=200";
    }

    /**
     * Kills the primary ({@code kill -9}) and waits until the backup is active.
     *
     * @param timeout how long the failover may take
     */
    public void failOver(Duration timeout) {
        primary.kill();
        backup.awaitActive(timeout);
    }

    @Override
    public void close() {
        try {
            backup.close();
        } finally {
            primary.close();
        }
    }
}
