package org.mailslot.retrieval.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.support.config.ListProperty;

/**
 * One account's configuration, checked. {@link #toString()} never shows the password.
 *
 * @param folders IMAP folders in order (IDLE watches the first); {@code [INBOX]} for POP3
 */
record AccountSettings(String name, Protocol protocol, String host, int port, String username, String password,
        List<String> folders, boolean idle, Duration pollInterval, Duration heartbeat, AfterHandOff after,
        String moveTo, PeerVerification verification, Duration connectTimeout, Duration readTimeout,
        Duration reconnectMax, int batchSize, long batchBytes, Duration handlerTimeout, Path directory) {

    /** IMAP servers may drop an idle client after 30 minutes (RFC 2177): re-issue IDLE before that. */
    static final Duration LONGEST_HEARTBEAT = Duration.ofMinutes(29);
    static final long MIN_BATCH_BYTES = 1024;
    static final long MAX_BATCH_BYTES = 1L << 30;

    /** The other spelling of the password property, which Declarative Services keeps private by itself. */
    static final String DOT_PASSWORD = ".password";

    AccountSettings {
        Objects.requireNonNull(name, "name");
        String where = "Account " + name + ": ";
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(where + "property host is missing");
        }
        host = host.strip();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(where + "port must be between 1 and 65535 (or 0 for the default), not " + port);
        }
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException(where + "property username is missing");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException(where + "neither password nor " + DOT_PASSWORD + " is set");
        }
        folders = List.copyOf(folders);
        if (folders.isEmpty()) {
            throw new IllegalArgumentException(where + "folders is empty; name at least one, such as INBOX");
        }
        if (protocol == Protocol.POP3 && !folders.equals(List.of("INBOX"))) {
            throw new IllegalArgumentException(where + "POP3 has INBOX only, not folders " + folders);
        }
        if (protocol == Protocol.POP3 && (after == AfterHandOff.SEEN || after == AfterHandOff.MOVE)) {
            throw new IllegalArgumentException(where + "after.handoff=" + after.configName()
                    + " is for IMAP; POP3 can leave or delete");
        }
        moveTo = moveTo == null ? "" : moveTo.strip();
        if (after == AfterHandOff.MOVE && moveTo.isEmpty()) {
            throw new IllegalArgumentException(where + "after.handoff=move needs move.to, the folder to move to");
        }
        if (after == AfterHandOff.MOVE && folders.contains(moveTo)) {
            throw new IllegalArgumentException(where + "move.to " + moveTo + " is also a folder fetched from");
        }
        if (heartbeat.compareTo(LONGEST_HEARTBEAT) > 0) {
            throw new IllegalArgumentException(where + "heartbeat must be at most 29m (IMAP servers end IDLE after 30"
                    + " minutes), not " + heartbeat);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException(where + "timeouts must be positive");
        }
        if (heartbeat.compareTo(readTimeout) >= 0) {
            throw new IllegalArgumentException(where + "heartbeat (" + heartbeat + ") must be shorter than read.timeout ("
                    + readTimeout + "), or an idle connection times out before it is checked");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException(where + "batch.size must be between 1 and 10000, not " + batchSize);
        }
        if (batchBytes < MIN_BATCH_BYTES || batchBytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException(where + "batch.bytes must be between " + MIN_BATCH_BYTES + " and "
                    + MAX_BATCH_BYTES + ", not " + batchBytes);
        }
        Objects.requireNonNull(handlerTimeout, "handlerTimeout");
        Objects.requireNonNull(directory, "directory");
    }

    /**
     * @param properties the configuration's properties, for {@code .password}
     * @param karafData {@code karaf.data}, for the default directory
     * @throws IllegalArgumentException naming the property that is missing or wrong
     */
    static AccountSettings from(String name, AccountConfig config, Map<String, ?> properties, String karafData) {
        Protocol protocol = Protocol.parse(config.protocol());
        Path data = Path.of(karafData == null || karafData.isBlank() ? "data" : karafData);
        return new AccountSettings(name, protocol, config.host(),
                config.port() == 0 ? protocol.defaultPort() : config.port(),
                config.username(), password(name, config, properties), folders(name, config.folders()), config.idle(),
                duration(name, "poll.interval", config.poll_interval()),
                duration(name, "heartbeat", config.heartbeat()),
                AfterHandOff.parse(config.after_handoff()), config.move_to(),
                config.tls_verify() ? PeerVerification.FULL : PeerVerification.CHAIN,
                duration(name, "connect.timeout", config.connect_timeout()),
                duration(name, "read.timeout", config.read_timeout()),
                duration(name, "reconnect.max", config.reconnect_max()),
                config.batch_size(), config.batch_bytes(),
                duration(name, "handler.timeout", config.handler_timeout()),
                config.directory() == null || config.directory().isBlank()
                        ? data.resolve("mailslot").resolve("retrieved").resolve(safeName(name))
                        : Path.of(config.directory().strip()));
    }

    /**
     * @return {@code password}, or else {@code .password}, or empty
     * @throws IllegalArgumentException if both are set, to different values (the message names the
     *     properties, never a value)
     */
    private static String password(String name, AccountConfig config, Map<String, ?> properties) {
        String plain = config.password() == null ? "" : config.password();
        Object dotted = properties.get(DOT_PASSWORD);
        String hidden = dotted == null ? "" : dotted.toString();
        if (!plain.isEmpty() && !hidden.isEmpty() && !plain.equals(hidden)) {
            throw new IllegalArgumentException("Account " + name + ": password and " + DOT_PASSWORD
                    + " are both set, to different values; set one of them");
        }
        return plain.isEmpty() ? hidden : plain;
    }

    private static Duration duration(String name, String property, String value) {
        return DurationProperty.positive("Account " + name + ": " + property, value);
    }

    private static List<String> folders(String name, String[] values) {
        return ListProperty.split("Account " + name + ": folders", values).stream().distinct().toList();
    }

    private static String safeName(String name) {
        if (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("Account name '" + name + "' cannot name a directory");
        }
        return name;
    }

    /** @return {@code host:port} */
    String server() {
        return host + ":" + port;
    }

    /** @return the delay before reconnection attempt {@code failures}: 1s doubling, capped */
    Duration reconnectDelay(int failures) {
        Duration delay = Duration.ofSeconds(1);
        for (int i = 1; i < failures && delay.compareTo(reconnectMax) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(reconnectMax) > 0 ? reconnectMax : delay;
    }

    @Override
    public String toString() {
        return "AccountSettings[" + name + " " + protocol.configName() + "://" + username + "@" + server() + " folders="
                + folders + " idle=" + idle + " after=" + after.configName() + ", password hidden]";
    }
}
