package org.mailslot.smtp.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.mailslot.support.config.DurationProperty;
import org.slf4j.LoggerFactory;

/**
 * Failed AUTH attempts per client address over all connections to every listener, so that
 * reconnecting, or moving to another port, does not buy a guesser fresh attempts: after
 * {@code failures} within the window, AUTH from that address is refused for the block time. IPv6
 * clients are counted by their /64, which one host usually has whole. One instance serves all
 * listeners (configuration {@code org.mailslot.auth.throttle}).
 *
 * <p>Thread-safe.
 */
@Component(name = AuthThrottle.PID, configurationPid = AuthThrottle.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = AuthThrottle.class)
@Designate(ocd = AuthThrottle.Config.class)
public final class AuthThrottle {

    static final String PID = "org.mailslot.auth.throttle";

    @ObjectClassDefinition(name = "Mailslot AUTH throttle",
            description = "Failed SMTP AUTH attempts per client address, counted over every listener.")
    public @interface Config {

        @AttributeDefinition(name = "Failures",
                description = "Failures from one client address (IPv6: its /64) within the window, over all connections to"
                        + " all listeners, after which AUTH from that address is refused (454 4.7.0) for the block time.")
        int failures() default 10;

        @AttributeDefinition(name = "Window", description = "The time over which failures are counted.")
        String window() default "900";

        @AttributeDefinition(name = "Block time",
                description = "How long AUTH is refused to an address that failed too often, even with the right password.")
        String time() default "900";
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuthThrottle.class);
    /** Addresses tracked at most; beyond, expired records are dropped first. */
    static final int MAX_TRACKED = 100_000;

    private static final class Record {
        final ArrayDeque<Instant> failures = new ArrayDeque<>();
        Instant blockedUntil = Instant.MIN;
    }

    private final int limit;
    private final Duration window;
    private final Duration block;
    private final Clock clock;
    // Guarded by this.
    private final Map<String, Record> records = new HashMap<>();

    @Activate
    public AuthThrottle(Config config) {
        this(atLeastOne("failures", config.failures()), DurationProperty.positive(PID + " window", config.window()),
                DurationProperty.positive(PID + " time", config.time()), Clock.systemUTC());
    }

    AuthThrottle(int limit, Duration window, Duration block, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.block = block;
        this.clock = clock;
    }

    /** @return true while AUTH from this client is refused */
    synchronized boolean blocked(InetAddress client) {
        Record record = records.get(key(client));
        return record != null && clock.instant().isBefore(record.blockedUntil);
    }

    /** Counts a failed attempt; the one that reaches the limit starts the block. */
    synchronized void failed(InetAddress client) {
        Instant now = clock.instant();
        String key = key(client);
        Record record = records.get(key);
        if (record == null) {
            if (records.size() >= MAX_TRACKED) {
                prune(now);
            }
            if (records.size() >= MAX_TRACKED) {
                LOG.warn("AUTH throttle tracks {} client addresses already; not counting failures from {}", MAX_TRACKED, client);
                return;
            }
            record = new Record();
            records.put(key, record);
        }
        expire(record, now);
        record.failures.addLast(now);
        if (record.failures.size() >= limit) {
            record.failures.clear();
            record.blockedUntil = now.plus(block);
            LOG.warn("AUTH from {} refused until {}: {} failed attempts within {}", client, record.blockedUntil, limit, window);
        }
    }

    private static int atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(PID + ": " + key + " must be at least 1, not " + value);
        }
        return value;
    }

    private void expire(Record record, Instant now) {
        Instant oldest = now.minus(window);
        while (!record.failures.isEmpty() && !record.failures.peekFirst().isAfter(oldest)) {
            record.failures.removeFirst();
        }
    }

    private void prune(Instant now) {
        records.values().removeIf(record -> {
            expire(record, now);
            return record.failures.isEmpty() && !now.isBefore(record.blockedUntil);
        });
    }

    private static String key(InetAddress client) {
        byte[] address = client.getAddress();
        if (client instanceof Inet6Address) {
            address = Arrays.copyOf(address, 8);
        }
        StringBuilder key = new StringBuilder(address.length * 2);
        for (byte b : address) {
            key.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return key.toString();
    }
}
