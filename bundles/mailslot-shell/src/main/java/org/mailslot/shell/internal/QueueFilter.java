package org.mailslot.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.support.config.DurationProperty;

/**
 * Which messages of the spool a queue command looks at or acts on; every criterion given must hold.
 *
 * @param domain a domain one of the message's recipients still to be delivered is at
 * @param reason what the message waits for
 * @param olderThan how long ago, at least, the spool accepted it
 * @param heldOnly only messages an operator holds
 */
record QueueFilter(Optional<String> domain, Optional<WaitReason> reason, Optional<Duration> olderThan, boolean heldOnly) {

    static final QueueFilter ALL = new QueueFilter(Optional.empty(), Optional.empty(), Optional.empty(), false);

    /**
     * @param domain {@code --domain}, or null
     * @param reason {@code --reason}, a {@link WaitReason} name in either case, {@code -} for {@code _}; or null
     * @param olderThan {@code --older-than}, a duration as configuration properties write it; or null
     * @throws IllegalArgumentException naming the option, if a value cannot be read
     */
    static QueueFilter of(String domain, String reason, String olderThan, boolean heldOnly) {
        if (domain != null && (domain.isBlank() || domain.contains("@"))) {
            throw new IllegalArgumentException("--domain takes a domain such as example.org, not '" + domain + "'");
        }
        return new QueueFilter(Optional.ofNullable(domain).map(d -> d.strip().toLowerCase(Locale.ROOT)),
                Optional.ofNullable(reason).map(QueueFilter::reason),
                Optional.ofNullable(olderThan).map(value -> DurationProperty.positive("--older-than", value)), heldOnly);
    }

    private static WaitReason reason(String value) {
        String name = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return WaitReason.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--reason must be one of " + Arrays.stream(WaitReason.values())
                    .map(Enum::name).collect(Collectors.joining(", ")) + ", not '" + value + "'");
        }
    }

    /** @return true if no criterion is given: every message matches */
    boolean all() {
        return domain.isEmpty() && reason.isEmpty() && olderThan.isEmpty() && !heldOnly;
    }

    boolean matches(QueueEntry entry, Instant now) {
        return (!heldOnly || entry.held())
                && olderThan.map(age -> entry.acceptedAt().isBefore(now.minus(age))).orElse(true)
                && reason.map(r -> entry.waiting().map(w -> w.reason() == r).orElse(false)).orElse(true)
                && domain.map(d -> entry.recipients().stream().anyMatch(recipient -> !recipient.status().isFinal()
                        && recipient.address().domain().toLowerCase(Locale.ROOT).equals(d))).orElse(true);
    }
}
