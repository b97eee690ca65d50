package org.mailslot.tlsrpt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tlsrpt.TlsReportRun;
import org.mailslot.api.tlsrpt.TlsReports;
import org.mailslot.api.tlsrpt.TlsResults;
import org.mailslot.api.tlsrpt.TlsSessionResult;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.support.dns.PolicyDns;
import org.mailslot.support.net.LocalHostName;
import org.mailslot.support.net.MxDnsSettings;
import org.mailslot.support.osgi.ServiceAtUse;
import org.mailslot.support.text.ErrorText;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMTP TLS reporting ({@value #PID}, RFC 8460): counts the TLS outcome of every MX delivery per UTC
 * day ({@link TallyCollector}), and once a day, at {@code send.time}, sends each policy domain that
 * publishes a {@code _smtp._tls} TXT record the report of the days not sent yet. On without
 * configuration: a domain asks for reports by publishing the record, and they are what lets it see
 * an attack on its mail's TLS. DNS is asked of {@code resolver} of {@value MxDnsSettings#PID}.
 */
@Component(name = TlsReporting.PID, configurationPid = TlsReporting.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {TlsResults.class, TlsReports.class})
@Designate(ocd = TlsReporting.Config.class)
public final class TlsReporting implements TlsResults, TlsReports {

    /** The configuration PID. */
    public static final String PID = "org.mailslot.tlsrpt";

    /** How often the counts are written to disk: what a crash may lose at most. */
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(TlsReporting.class);
    private static final String WHERE = PID + " ";

    @ObjectClassDefinition(name = "Mailslot TLS reports",
            description = "SMTP TLS reporting (RFC 8460): the TLS outcome of MX deliveries counted per day, and daily"
                    + " aggregate reports sent to the rua of each recipient domain's _smtp._tls TXT record.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "false: nothing is counted and no report is sent.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Submitter", required = false,
                description = "The domain reports come from (TLS-Report-Submitter, the report-id). Empty: the local"
                        + " host name.")
        String submitter() default "";

        @AttributeDefinition(name = "Organization name", required = false,
                description = "The report's organization-name. Empty: the submitter.")
        String organization_name() default "";

        @AttributeDefinition(name = "Contact", required = false,
                description = "The report's contact-info, an address or URI. Empty: postmaster@SUBMITTER.")
        String contact_info() default "";

        @AttributeDefinition(name = "From", required = false,
                description = "The From address and envelope sender of reports sent by mail. Empty:"
                        + " noreply-tlsrpt@SUBMITTER.")
        String from() default "";

        @AttributeDefinition(name = "Send time",
                description = "When (HH:MM, UTC) the reports of the days before are sent.")
        String send_time() default "01:00";

        @AttributeDefinition(name = "Days kept",
                description = "How many days a day's counts are kept after it ended, for mailslot:tls-report --date.")
        int keep_days() default 14;

        @AttributeDefinition(name = "HTTPS timeout", description = "The longest one HTTPS POST of a report may take.")
        String https_timeout() default "60";

        @AttributeDefinition(name = "Directory", required = false,
                description = "Where the counts are kept across restarts. Empty: ${karaf.data}/mailslot/tls-reports.")
        String directory() default "";
    }

    private final boolean enabled;
    private final ReportJson.Reporter reporter;
    private final String from;
    private final LocalTime sendTime;
    private final int keepDays;
    private final Duration httpsTimeout;
    private final TallyCollector collector;
    private final TlsService tls;
    private final Supplier<MxDnsSettings> dnsSettings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    /** Looked up when a report goes: the spool reaches this component through the transport. */
    private volatile ServiceAtUse<MailSubmission> submission = ServiceAtUse.fixed(null);

    @Activate
    public TlsReporting(Config config, @Reference TlsService tls, @Reference ConfigurationAdmin configurationAdmin,
            BundleContext context) {
        this(config, tls, () -> dnsSettings(configurationAdmin), Clock.systemUTC(), true);
        this.submission = ServiceAtUse.lookedUpIn(context, MailSubmission.class);
    }

    /**
     * @param dnsSettings the resolver to ask, read at each report run
     * @param schedule whether to flush and send on a schedule (false in tests that call {@link #flush} and
     *     {@link #sendDue} themselves)
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    TlsReporting(Config config, TlsService tls, Supplier<MxDnsSettings> dnsSettings, Clock clock, boolean schedule) {
        this.enabled = config.enabled();
        String submitter = config.submitter().isBlank() ? LocalHostName.get() : config.submitter().strip();
        this.reporter = new ReportJson.Reporter(
                config.organization_name().isBlank() ? submitter : config.organization_name().strip(),
                config.contact_info().isBlank() ? "postmaster@" + submitter : config.contact_info().strip(),
                submitter);
        this.from = config.from().isBlank() ? "noreply-tlsrpt@" + submitter : config.from().strip();
        try {
            MailAddress.parse(from);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(WHERE + "from: " + from + " is not an address: " + e.getMessage(), e);
        }
        try {
            this.sendTime = LocalTime.parse(config.send_time().strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(WHERE + "send.time: " + config.send_time() + " is not HH:MM (UTC)", e);
        }
        if (config.keep_days() < 1) {
            throw new IllegalArgumentException(WHERE + "keep.days: " + config.keep_days() + " is less than 1");
        }
        this.keepDays = config.keep_days();
        this.httpsTimeout = DurationProperty.positive(WHERE + "https.timeout", config.https_timeout());
        Path directory = config.directory().isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "mailslot", "tls-reports")
                : Path.of(config.directory().strip());
        try {
            this.collector = new TallyCollector(new TallyFiles(directory));
        } catch (IOException e) {
            throw new UncheckedIOException(WHERE + "directory " + directory + " cannot be created: " + ErrorText.of(e), e);
        }
        this.tls = tls;
        this.dnsSettings = dnsSettings;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mailslot-tls-reports");
            thread.setDaemon(true);
            return thread;
        });
        if (enabled && schedule) {
            scheduler.scheduleWithFixedDelay(this::flush, FLUSH_INTERVAL.toMillis(), FLUSH_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
            scheduleSend(Duration.ofMinutes(1));
        }
        LOG.info("TLS reports {}: submitter {}, sent daily at {} UTC from {}, counts in {}", enabled ? "on" : "off",
                submitter, sendTime, from, directory);
    }

    @Deactivate
    public void deactivate() {
        scheduler.shutdownNow();
        collector.flush();
    }

    /** For tests: the submission service reports by mail go to. */
    void setSubmission(MailSubmission submission) {
        this.submission = ServiceAtUse.fixed(submission);
    }

    @Override
    public void record(TlsSessionResult result) {
        if (enabled) {
            collector.record(result);
        }
    }

    void flush() {
        collector.flush();
    }

    @Override
    public List<TlsReportRun> report(LocalDate day, boolean send) {
        return report(day, send, Set.of());
    }

    /** @param skipped the policy domains not to report on */
    private List<TlsReportRun> report(LocalDate day, boolean send, Set<String> skipped) {
        if (!enabled) {
            throw new IllegalStateException("TLS reporting is off (" + PID + " enabled=false)");
        }
        List<TlsReportRun> runs = new ArrayList<>();
        DayTally tally = collector.tally(day).orElse(null);
        if (tally == null) {
            return runs;
        }
        Map<String, Map<DayTally.Policy, DayTally.Counts>> byDomain = new TreeMap<>();
        tally.snapshot().forEach((policy, counts) -> {
            if (!skipped.contains(policy.domain())) {
                byDomain.computeIfAbsent(policy.domain(), d -> new LinkedHashMap<>()).put(policy, counts);
            }
        });
        ReportSender sender = send ? sender() : null;
        for (Map.Entry<String, Map<DayTally.Policy, DayTally.Counts>> domain : byDomain.entrySet()) {
            String json = ReportJson.of(reporter, day, domain.getKey(), domain.getValue());
            long successes = domain.getValue().values().stream().mapToLong(DayTally.Counts::successes).sum();
            long failures = domain.getValue().values().stream().mapToLong(DayTally.Counts::failureCount).sum();
            List<String> destinations = List.of();
            if (sender != null) {
                ReportSender.Outcome outcome = sender.send(day, domain.getKey(), json);
                destinations = outcome.destinations();
                LOG.info("TLS report of {} for {}: {}", day, domain.getKey(), String.join("; ", destinations));
                if (outcome.settled() && day.isBefore(today())) {
                    try {
                        collector.markSent(day, domain.getKey());
                    } catch (IOException e) {
                        LOG.warn("TLS reports: the report of {} for {} cannot be marked as sent (it may be sent again): {}",
                                day, domain.getKey(), ErrorText.of(e));
                    }
                }
            }
            runs.add(new TlsReportRun(day, domain.getKey(), ReportJson.reportId(day, domain.getKey(), reporter.submitter()),
                    successes, failures, json, destinations));
        }
        return runs;
    }

    private ReportSender sender() {
        MxDnsSettings settings = dnsSettings.get();
        PolicyDns dns;
        try {
            dns = new PolicyDns(settings.resolver(), settings.timeout());
        } catch (IllegalArgumentException e) {
            LOG.error("{} resolver is invalid ({}); TLS reports use the system's resolvers", MxDnsSettings.PID,
                    e.getMessage());
            dns = new PolicyDns("", settings.timeout());
        }
        return new ReportSender(dns, new ReportPost(tls, dns, httpsTimeout), submission, reporter, from, clock);
    }

    /**
     * Sends the reports of the days that ended that were not sent (those whose domain's record could not be
     * looked up are tried again), and forgets the days older than {@code keep.days}.
     */
    List<TlsReportRun> sendDue() {
        LocalDate today = today();
        List<TlsReportRun> runs = new ArrayList<>();
        for (LocalDate day : collector.days().stream().sorted().toList()) {
            try {
                if (day.isBefore(today.minusDays(keepDays))) {
                    collector.forget(day);
                } else if (day.isBefore(today)) {
                    runs.addAll(report(day, true, collector.sent(day)));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("TLS reports of {}: {}", day, ErrorText.of(e), e);
            }
        }
        return runs;
    }

    private void scheduleSend(Duration delay) {
        scheduler.schedule(() -> {
            try {
                sendDue();
            } finally {
                scheduleSend(untilNextSend());
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Duration untilNextSend() {
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        ZonedDateTime next = now.with(sendTime);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return Duration.between(now, next);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static MxDnsSettings dnsSettings(ConfigurationAdmin configurationAdmin) {
        try {
            Configuration[] configurations = configurationAdmin.listConfigurations("(service.pid=" + MxDnsSettings.PID + ")");
            if (configurations != null && configurations.length > 0) {
                return MxDnsSettings.of(configurations[0].getProperties());
            }
        } catch (IOException | InvalidSyntaxException | IllegalArgumentException e) {
            LOG.warn("Cannot read {} for TLS reports; using the system's resolvers: {}", MxDnsSettings.PID, e.toString());
        }
        return MxDnsSettings.defaults();
    }
}
