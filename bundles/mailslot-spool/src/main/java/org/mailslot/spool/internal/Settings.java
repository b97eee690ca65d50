package org.mailslot.spool.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.support.config.ListProperty;
import org.mailslot.support.net.LocalHostName;

import org.mailslot.support.pipeline.RequiredStages;

/** The delivery configuration, checked and parsed. */
record Settings(Path spoolDirectory, Path mailboxDirectory, Set<String> localDomains, long maxMessageSize,
        Duration retryInitial, Duration retryMax, Duration giveUp, int deliveryThreads, int perDestination,
        String reportingMta, List<String> requiredStages, Optional<Duration> delayNotice, int localDeliveryThreads,
        RecipientRules localRecipients, long mailboxSizeLimit, Duration leaseTime) {

    /** How long a mailbox's measured size is trusted before a delivery measures it again. */
    static final Duration MAILBOX_SIZE_STALE = Duration.ofMinutes(1);
    /** Longer than any attempt: the transport's deadlines end a connection well before. */
    static final Duration DEFAULT_LEASE_TIME = Duration.ofHours(1);

    Settings {
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        Objects.requireNonNull(mailboxDirectory, "mailboxDirectory");
        localDomains = localDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("max.message.size must be at least 1, not " + maxMessageSize);
        }
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("retry.max (" + retryMax + ") is shorter than retry.initial (" + retryInitial + ")");
        }
        if (deliveryThreads < 1 || deliveryThreads > 1024) {
            throw new IllegalArgumentException("delivery.threads must be between 1 and 1024, not " + deliveryThreads);
        }
        requiredStages = requiredStages.stream().map(String::strip).filter(name -> !name.isEmpty()).distinct().toList();
        Objects.requireNonNull(delayNotice, "delayNotice");
        if (perDestination < 1) {
            throw new IllegalArgumentException("per.destination must be at least 1, not " + perDestination);
        }
        if (localDeliveryThreads < 1 || localDeliveryThreads > 1024) {
            throw new IllegalArgumentException("local.delivery.threads must be between 1 and 1024, not "
                    + localDeliveryThreads);
        }
        Objects.requireNonNull(localRecipients, "localRecipients");
        if (mailboxSizeLimit < 0) {
            throw new IllegalArgumentException("mailbox.size.limit must be 0 (no limit) or a number of octets, not "
                    + mailboxSizeLimit);
        }
        Objects.requireNonNull(leaseTime, "leaseTime");
    }

    static Settings from(DeliveryConfig config, String karafData) {
        Path data = Path.of(karafData == null || karafData.isBlank() ? "data" : karafData);
        return new Settings(
                config.spool_directory().isBlank() ? data.resolve("mailslot/spool") : Path.of(config.spool_directory()),
                config.mailbox_directory().isBlank() ? data.resolve("mailslot/mailboxes") : Path.of(config.mailbox_directory()),
                // A .cfg file gives one string: "localhost, example.org" is two domains, as on the listener.
                        ListProperty.split("local.domains", config.local_domains()).stream().collect(Collectors.toSet()),
                config.max_message_size(),
                DurationProperty.positive("retry.initial", config.retry_initial()),
                DurationProperty.positive("retry.max", config.retry_max()),
                DurationProperty.positive("retry.giveup", config.retry_giveup()),
                config.delivery_threads(), config.per_destination(),
                config.reporting_mta().isBlank() ? LocalHostName.get() : config.reporting_mta().trim(),
                RequiredStages.parse("pipeline.required", config.pipeline_required()),
                "never".equalsIgnoreCase(String.valueOf(config.delay_notice()).trim()) ? Optional.empty()
                        : Optional.of(DurationProperty.positive("delay.notice", config.delay_notice())),
                config.local_delivery_threads(),
                RecipientRules.parse(ListProperty.split("local.recipients", config.local_recipients())),
                config.mailbox_size_limit(),
                DurationProperty.positive("lease.time", config.lease_time()));
    }

    /**
     * Settings for tests and embedding: defaults except for the directories, and every local
     * address accepted ({@code local.recipients = *}), with no mailbox size limit.
     */
    static Settings defaults(Path spool, Path mailboxes) {
        return new Settings(spool, mailboxes, Set.of("localhost"), 52_428_800L, Duration.ofMinutes(5),
                Duration.ofHours(4), Duration.ofDays(5), 8, 2, "mailslot.localhost", List.of(), Optional.of(Duration.ofHours(4)),
                2, RecipientRules.ANY, 0, DEFAULT_LEASE_TIME);
    }

    Settings withLocalRecipients(RecipientRules rules, long sizeLimit) {
        return new Settings(spoolDirectory, mailboxDirectory, localDomains, maxMessageSize, retryInitial, retryMax, giveUp,
                deliveryThreads, perDestination, reportingMta, requiredStages, delayNotice, localDeliveryThreads, rules,
                sizeLimit, leaseTime);
    }

    Settings withLocalDeliveryThreads(int threads) {
        return new Settings(spoolDirectory, mailboxDirectory, localDomains, maxMessageSize, retryInitial, retryMax, giveUp,
                deliveryThreads, perDestination, reportingMta, requiredStages, delayNotice, threads, localRecipients,
                mailboxSizeLimit, leaseTime);
    }

    /** @return the local recipients these settings describe, over the Maildirs and the realm users given */
    LocalMailboxes localMailboxes(Maildir maildir, java.util.function.Supplier<RealmUsers> realmUsers) {
        return new LocalMailboxes(localDomains, localRecipients, mailboxSizeLimit, realmUsers, maildir,
                new MailboxSizes(MAILBOX_SIZE_STALE));
    }

    Settings withRetry(Duration initial, Duration max, Duration giveUp) {
        return new Settings(spoolDirectory, mailboxDirectory, localDomains, maxMessageSize, initial, max, giveUp,
                deliveryThreads, perDestination, reportingMta, requiredStages, delayNotice, localDeliveryThreads,
                localRecipients, mailboxSizeLimit, leaseTime);
    }

    Settings withLimits(long maxSize, int threads, int perDestination) {
        return new Settings(spoolDirectory, mailboxDirectory, localDomains, maxSize, retryInitial, retryMax, giveUp,
                threads, perDestination, reportingMta, requiredStages, delayNotice, localDeliveryThreads,
                localRecipients, mailboxSizeLimit, leaseTime);
    }

    Settings withRequiredStages(List<String> names) {
        return new Settings(spoolDirectory, mailboxDirectory, localDomains, maxMessageSize, retryInitial, retryMax, giveUp,
                deliveryThreads, perDestination, reportingMta, names, delayNotice, localDeliveryThreads,
                localRecipients, mailboxSizeLimit, leaseTime);
    }

    Settings withDelayNotice(Optional<Duration> after) {
        return new Settings(spoolDirectory, mailboxDirectory, localDomains, maxMessageSize, retryInitial, retryMax, giveUp,
                deliveryThreads, perDestination, reportingMta, requiredStages, after, localDeliveryThreads,
                localRecipients, mailboxSizeLimit, leaseTime);
    }

    Settings withLeaseTime(Duration time) {
        return new Settings(spoolDirectory, mailboxDirectory, localDomains, maxMessageSize, retryInitial, retryMax, giveUp,
                deliveryThreads, perDestination, reportingMta, requiredStages, delayNotice, localDeliveryThreads,
                localRecipients, mailboxSizeLimit, time);
    }

    boolean isLocal(String domain) {
        return localDomains.contains(domain.toLowerCase(Locale.ROOT));
    }

    /** @return the delay after the given number of attempts: doubling from the first retry, capped */
    Duration backoff(int attempts) {
        Duration delay = retryInitial;
        for (int i = 1; i < attempts && delay.compareTo(retryMax) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(retryMax) > 0 ? retryMax : delay;
    }
}
