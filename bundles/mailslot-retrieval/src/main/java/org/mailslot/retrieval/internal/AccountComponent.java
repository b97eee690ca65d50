package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mailslot.api.config.FactoryConfigurations;
import org.mailslot.api.port.PortStrategyTable;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.tls.TlsService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account configuration, {@code etc/org.mailslot.account-NAME.cfg}, as a running {@link
 * Account}. A configuration that cannot run (a value missing or wrong, the account's directory not
 * usable) still activates, so that {@code mailslot:accounts} lists the account as {@code invalid}
 * with the reason instead of leaving it out; fetch and test then give the same reason. A
 * configuration change replaces the component; what was stored and recorded stays.
 *
 * <p>The password is {@code password} (a metatype PASSWORD attribute, as the README's account table
 * says) or {@code .password}. Declarative Services would copy {@code password}, like every
 * configuration property without a leading dot, into the properties of a service the component
 * declares, where {@code service:list} shows them. So the component declares none: it registers
 * itself as a {@link RetrievalAccount} with {@value #ACCOUNT} as its only property.
 */
@Component(
        name = AccountComponent.PID,
        configurationPid = AccountComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = AccountConfig.class, factory = true)
public final class AccountComponent implements RetrievalAccount {

    /** The factory configuration PID. */
    public static final String PID = "org.mailslot.account";

    /** The one service property of an account's registration: its name. */
    public static final String ACCOUNT = "mailslot.account";

    private static final Logger LOG = LoggerFactory.getLogger(AccountComponent.class);

    private final String name;
    private final Account live; // null when the configuration cannot run
    private final AccountStatus unusable;
    private final ServiceRegistration<RetrievalAccount> registration;

    @Activate
    public AccountComponent(AccountConfig config, Map<String, Object> properties, BundleContext context,
            @Reference TlsService tls, @Reference Whiteboard whiteboard, @Reference RetrievalPorts ports,
            @Reference RetrievalThreads threads) {
        this.name = FactoryConfigurations.instanceName(properties);
        Account account = null;
        String problem = null;
        try {
            account = new Account(AccountSettings.from(name, config, properties, context.getProperty("karaf.data")), tls,
                    ports.table(), whiteboard, threads, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMinutes(5));
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        } catch (IOException e) {
            problem = "Account " + name + ": its directory cannot be used: " + e.getMessage();
        }
        this.live = account;
        if (problem != null) {
            LOG.error("{}; the account does not run until its configuration is corrected", problem);
            this.unusable = new AccountStatus(name, String.valueOf(config.protocol()), server(config), AccountState.INVALID,
                    Optional.empty(), 0, 0, Optional.of(problem));
        } else {
            this.unusable = null;
        }
        this.registration = context.registerService(RetrievalAccount.class, this, serviceProperties(name));
    }

    /** An account from checked settings, as DS would run it (tests, benchmarks). */
    AccountComponent(AccountSettings settings, TlsService tls, PortStrategyTable strategies, Whiteboard whiteboard,
            RetrievalThreads threads, Clock clock, Duration handlerRetryFirst, Duration handlerRetryMax)
            throws IOException {
        this.name = settings.name();
        this.live = new Account(settings, tls, strategies, whiteboard, threads, clock, handlerRetryFirst,
                handlerRetryMax);
        this.unusable = null;
        this.registration = null;
    }

    /** @return the properties the account is registered with: its name, and nothing of its configuration */
    static Hashtable<String, Object> serviceProperties(String name) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ACCOUNT, name);
        return properties;
    }

    private static String server(AccountConfig config) {
        String host = config.host() == null || config.host().isBlank() ? "?" : config.host().strip();
        return host + ":" + (config.port() == 0 ? "default" : Integer.toString(config.port()));
    }

    @Deactivate
    public void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // The framework unregistered it already, with the bundle stopping.
            }
        }
        if (live != null) {
            live.stop();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AccountStatus status() {
        return live != null ? live.status() : unusable;
    }

    @Override
    public int fetch() throws IOException {
        return running().fetch();
    }

    @Override
    public List<String> test() throws IOException {
        return running().test();
    }

    private Account running() throws IOException {
        if (live == null) {
            throw new IOException(unusable.lastError().orElseThrow());
        }
        return live;
    }
}
