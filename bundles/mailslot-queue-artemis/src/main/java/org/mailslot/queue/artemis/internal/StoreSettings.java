package org.mailslot.queue.artemis.internal;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code org.mailslot.queue} configuration, validated: each value that cannot work is refused
 * with its property's name.
 *
 * @param artemis whether the queue is on a broker; false for the file spool
 * @param url the broker URL, as Artemis parses it
 * @param user the broker user
 * @param password its password
 * @param queue the broker queue's name
 */
public record StoreSettings(boolean artemis, String url, String user, String password, String queue) {

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(queue, "queue");
    }

    static StoreSettings of(QueueConfig config) {
        String store = config.store() == null ? "" : config.store().strip().toLowerCase(Locale.ROOT);
        boolean artemis = switch (store) {
            case "file" -> false;
            case "artemis" -> true;
            default -> throw new IllegalArgumentException("store must be file or artemis, not '" + config.store() + "'");
        };
        String url = strip(config.artemis_url());
        String user = strip(config.artemis_user());
        String queue = strip(config.artemis_queue());
        String password = config.artemis_password() == null ? "" : config.artemis_password();
        if (artemis) {
            if (url.isEmpty()) {
                throw new IllegalArgumentException("artemis.url must name the broker, such as tcp://127.0.0.1:61616");
            }
            if (user.isEmpty()) {
                throw new IllegalArgumentException("artemis.user must name the broker user");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("artemis.password must be set: the broker is reached with a login");
            }
            if (queue.isEmpty() || !queue.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("artemis.queue must be a name of letters, digits, '.', '_' and '-',"
                        + " not '" + config.artemis_queue() + "'");
            }
        }
        return new StoreSettings(artemis, url, user, password, queue);
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    @Override
    public String toString() {
        return "StoreSettings[artemis=" + artemis + ", url=" + url + ", user=" + user + ", queue=" + queue + "]";
    }
}
