package org.mailslot.transport.internal.mtasts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.support.dns.PolicyDns;
import org.mailslot.support.text.ErrorText;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicies;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS policies the MX route's TLS policy consults ({@link MtaStsPolicies}), configured with it ({@value MxRouting#PID}: {@code resolver},
 * {@code dns.timeout} and the {@code mta-sts.*} properties): the policies, kept in
 * {@code mta-sts.directory}, and their refresh every {@code mta-sts.refresh.interval} in a thread
 * of its own.
 */
@Component(name = MtaStsComponent.NAME, configurationPid = MxRouting.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = MtaStsPolicies.class)
public final class MtaStsComponent implements MtaStsPolicies {

    /** The component's name. */
    public static final String NAME = "org.mailslot.mta-sts";

    private static final Logger LOG = LoggerFactory.getLogger(MtaStsComponent.class);
    private static final String WHERE = MxRouting.PID + " ";
    private static final int HTTPS_PORT = 443;

    private final PublishedPolicies policies;
    private final ScheduledExecutorService refresher;

    @Activate
    public MtaStsComponent(MxRouting.Config config, @Reference TlsService tls) {
        Duration refresh = DurationProperty.positive(WHERE + "mta-sts.refresh.interval", config.mta$_$sts_refresh_interval());
        PolicyDns dns = new PolicyDns(config.resolver(), DurationProperty.positive(WHERE + "dns.timeout", config.dns_timeout()));
        PolicyFetcher fetcher = new PolicyFetcher(tls, dns,
                DurationProperty.positive(WHERE + "mta-sts.fetch.timeout", config.mta$_$sts_fetch_timeout()), HTTPS_PORT,
                Clock.systemUTC());
        this.policies = new PublishedPolicies(dns::txt, fetcher::fetch, store(config.mta$_$sts_directory()), Clock.systemUTC());
        this.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mailslot-mta-sts-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return what RFC 8460 calls a failure of {@link PolicyFetcher#fetch} */
    static TlsResultType resultType(IOException failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("is not a valid policy")) {
            return TlsResultType.STS_POLICY_INVALID;
        }
        if (message.contains("PKIX") || message.contains("certificat") || message.contains("subject alternative")) {
            return TlsResultType.STS_WEBPKI_INVALID;
        }
        return TlsResultType.STS_POLICY_FETCH_ERROR;
    }

    private static PolicyStore store(String configured) {
        Path directory = configured.isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "mailslot", "mta-sts")
                : Path.of(configured.strip());
        try {
            return new PolicyStore(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(WHERE + "mta-sts.directory " + directory + " cannot be created: "
                    + ErrorText.of(e), e);
        }
    }

    private void refresh() {
        try {
            policies.refresh();
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: refreshing the policies failed: {}", ErrorText.of(e), e);
        }
    }

    @Override
    public Optional<MtaStsPolicy> policyOf(String domain) {
        return policies.policy(domain).map(CachedPolicy::applied);
    }

    @Override
    public Optional<TlsResultType> fetchFailure(String domain) {
        return policies.fetchFailure(domain).map(MtaStsComponent::resultType);
    }

    /** @return the policies */
    public PublishedPolicies policies() {
        return policies;
    }

    @Deactivate
    public void deactivate() {
        refresher.shutdownNow();
    }
}
