package org.mailslot.tls.internal;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tls.TlsStatus;
import org.mailslot.api.tls.TlsUnavailableException;
import org.mailslot.support.config.DurationProperty;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS service. Material is built off to the side and swapped in whole through a volatile
 * reference; engines and sockets already handed out keep the material they were made from.
 *
 * <p>Without configuration the component still starts: it then serves a self-signed identity it
 * generates (once) under {@code ${karaf.etc}/mailslot/tls}, so a fresh distribution offers
 * STARTTLS out of the box, with a warning.
 */
@Component(
        name = TlsService.PID,
        configurationPid = TlsService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = TlsService.class,
        immediate = true)
@Designate(ocd = TlsServiceImpl.Config.class)
public final class TlsServiceImpl implements TlsService {

    @ObjectClassDefinition(
            name = "Mailslot TLS",
            description = "Server identity, trust anchors, protocols and cipher suites for every TLS connection Mailslot makes"
                    + " or accepts. Relative paths are resolved against the working directory (KARAF_BASE); prefer"
                    + " ${karaf.etc}/... Files are watched and reloaded when they change.")
    public @interface Config {

        // Passwords are private properties (a leading dot, from the leading underscore): DS does
        // not copy those into the service registration, where service:list would show them.

        @AttributeDefinition(name = "Identity PKCS#12 file", required = false,
                description = "Server key and certificate chain as a PKCS#12 file. Or use identity.key with identity.certificates.")
        String identity_pkcs12() default "";

        @AttributeDefinition(name = "Identity PKCS#12 password", type = AttributeType.PASSWORD, required = false)
        String _identity_pkcs12_password() default "";

        @AttributeDefinition(name = "Identity alias", required = false,
                description = "The key entry to use when the PKCS#12 file holds more than one.")
        String identity_alias() default "";

        @AttributeDefinition(name = "Identity private key (PEM)", required = false,
                description = "PKCS#8 (PRIVATE KEY, ENCRYPTED PRIVATE KEY) or traditional (RSA/EC PRIVATE KEY) PEM file.")
        String identity_key() default "";

        @AttributeDefinition(name = "Identity private key password", type = AttributeType.PASSWORD, required = false,
                description = "For an encrypted PEM private key.")
        String _identity_key_password() default "";

        @AttributeDefinition(name = "Identity certificates (PEM)", required = false,
                description = "The server certificate first, then its intermediates (a full chain PEM file).")
        String identity_certificates() default "";

        @AttributeDefinition(name = "Extra trust anchors (PEM)", required = false,
                description = "CA certificates trusted in addition to the JDK's, as a PEM bundle.")
        String trust_pem() default "";

        @AttributeDefinition(name = "Extra trust anchors (PKCS#12)", required = false,
                description = "CA certificates trusted in addition to the JDK's, as the trusted entries of a PKCS#12 file.")
        String trust_pkcs12() default "";

        @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
        String _trust_pkcs12_password() default "";

        @AttributeDefinition(name = "Trust the JDK's anchors",
                description = "Whether the JDK's default certificate authorities are trusted too.")
        boolean trust_jdk_defaults() default true;

        @AttributeDefinition(name = "Protocols", description = "Enabled protocols, most preferred first. One the JDK"
                + " has disabled (jdk.tls.disabledAlgorithms) is refused and the last good setting kept.")
        String[] protocols() default {"TLSv1.3", "TLSv1.2"};

        @AttributeDefinition(name = "Cipher suites", required = false,
                description = "Enabled cipher suites, most preferred first, for the server and the client. Empty: the"
                        + " server accepts AEAD suites with forward secrecy only (no CBC); the client offers the JDK's"
                        + " defaults with forward secrecy and without broken primitives.")
        String[] cipher_suites() default {};

        @AttributeDefinition(name = "Generate a self-signed identity",
                description = "Without a configured identity, generate (once) and serve a self-signed one."
                        + " When false, and no identity is configured, the server role is unavailable.")
        boolean self_signed_enabled() default true;

        @AttributeDefinition(name = "Directory of the generated identity", required = false,
                description = "Default: ${karaf.etc}/mailslot/tls")
        String self_signed_directory() default "";

        @AttributeDefinition(name = "Reload check interval",
                description = "How often the files are checked for changes, a duration (10 is seconds; 500ms, 30s, 5m);"
                        + " 0 turns the check off.")
        String reload_interval_seconds() default "10";
    }

    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    private static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final Clock clock;
    private final String karafEtc;
    private final MaterialLoader loader;
    private final Object lock = new Object();

    private volatile Material material;
    private volatile Problem problem;

    // Guarded by lock.
    private Config config;
    private FileStamps stamps = new FileStamps();
    private boolean warnedSelfSigned;
    private boolean warnedExpired;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> check;
    private Duration interval = Duration.ZERO;

    @Activate
    public TlsServiceImpl(Config config) {
        this(config, LoggerFactory.getLogger(TlsServiceImpl.class), Clock.systemUTC(), System.getProperty("karaf.etc"));
    }

    TlsServiceImpl(Config config, Logger log, Clock clock, String karafEtc) {
        refuseClientInitiatedRenegotiation(log);
        this.log = log;
        this.clock = clock;
        this.karafEtc = karafEtc;
        this.loader = new MaterialLoader(clock, log);
        synchronized (lock) {
            load(config);
            schedule(reloadInterval(config));
        }
    }

    /**
     * A client that renegotiates TLS 1.2 at will makes the server do a full handshake each time for
     * the cost of one record. The JDK refuses it only when this system property is true, read once
     * when the first server handshake of the JVM starts, so it is set before this service hands out
     * any server engine, unless the operator has set it (the distribution sets it in
     * etc/system.properties). TLS 1.3 has no renegotiation.
     */
    static void refuseClientInitiatedRenegotiation(Logger log) {
        String current = System.getProperty(REJECT_RENEGOTIATION);
        if (current == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true");
        } else if (!Boolean.parseBoolean(current)) {
            log.warn("{} is {}: TLS 1.2 clients may renegotiate at will", REJECT_RENEGOTIATION, current);
        }
    }

    @Modified
    void modified(Config changed) {
        synchronized (lock) {
            log.info("TLS configuration changed; reloading");
            load(changed);
            schedule(reloadInterval(changed));
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
    }

    /**
     * Reloads if a file read by the last load is different now, and reports a served certificate
     * that has expired since. The periodic check calls this; tests may call it directly.
     */
    void checkForChanges() {
        synchronized (lock) {
            if (stamps.changed()) {
                log.info("TLS files changed; reloading");
                load(config);
            }
            checkExpiry();
        }
    }

    private void load(Config next) {
        this.config = next;
        MaterialLoader.Attempt attempt = loader.load(next, karafEtc);
        stamps = attempt.stamps();
        Material current = material;
        if (attempt.complete()) {
            material = attempt.material();
            problem = null;
            warnedExpired = false;
            Identity identity = attempt.material().identity().orElseThrow();
            IdentityInfo info = identity.info();
            log.info("TLS identity {} (valid until {}, SHA-256 {}) from {}; protocols {}", info.subject(), info.notAfter(),
                    info.sha256Fingerprint(), info.source(), attempt.material().protocols());
            if (info.selfSignedDefault() && !warnedSelfSigned) {
                warnedSelfSigned = true;
                log.warn("TLS is using a generated self-signed certificate ({}); clients will not trust it. Configure"
                        + " identity.pkcs12, or identity.key and identity.certificates, in etc/{}.cfg", info.source(), PID);
            }
            return;
        }
        problem = new Problem(attempt.error(), clock.instant());
        if (current == null || current.identity().isEmpty()) {
            material = attempt.material();
            Optional<IdentityInfo> served = attempt.material().identity().map(Identity::info);
            if (served.isPresent()) {
                log.error("TLS configuration not applied, serving {} from {} with protocols {}: {}", served.get().subject(),
                        served.get().source(), attempt.material().protocols(), attempt.error());
            } else {
                log.error("TLS material not loaded, no TLS server identity available: {}", attempt.error());
            }
        } else {
            IdentityInfo kept = current.identity().orElseThrow().info();
            log.error("TLS material not loaded, still serving {} from {}: {}", kept.subject(), kept.source(), attempt.error());
        }
    }

    private void checkExpiry() {
        Material current = material;
        Optional<Identity> identity = current == null ? Optional.empty() : current.identity();
        if (identity.isEmpty()) {
            return;
        }
        IdentityInfo info = identity.get().info();
        Instant now = clock.instant();
        if (now.isAfter(info.notAfter()) && !warnedExpired) {
            if (info.selfSignedDefault()) {
                load(config);
                return;
            }
            warnedExpired = true;
            String message = info.source() + ": certificate " + info.subject() + " expired on " + info.notAfter()
                    + "; still served until replaced";
            problem = new Problem(message, now);
            log.error(message);
        }
    }

    /** A bad value is reported in the status by the load; meanwhile the default interval applies. */
    private static Duration reloadInterval(Config config) {
        try {
            return DurationProperty.zeroOrMore(Settings.WHERE + ": reload.interval.seconds", config.reload_interval_seconds());
        } catch (IllegalArgumentException e) {
            return DEFAULT_RELOAD_INTERVAL;
        }
    }

    private void schedule(Duration every) {
        if (check != null && every.equals(interval)) {
            return;
        }
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        interval = every;
        if (every.isZero()) {
            return;
        }
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "mailslot-tls-reload");
                thread.setDaemon(true);
                return thread;
            });
        }
        check = scheduler.scheduleWithFixedDelay(this::periodicCheck, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void periodicCheck() {
        try {
            checkForChanges();
        } catch (RuntimeException e) {
            // Keep the schedule alive: an exception would cancel it for good.
            log.error("TLS reload check failed", e);
        }
    }

    Material material() {
        return material;
    }

    private Material server() throws TlsUnavailableException {
        Material current = material;
        if (current.server() == null) {
            Problem reason = problem;
            throw new TlsUnavailableException("No TLS server identity is available: "
                    + (reason == null ? "none is configured" : reason.message()));
        }
        return current;
    }

    @Override
    public SSLContext serverContext() throws TlsUnavailableException {
        return server().server();
    }

    @Override
    public SSLEngine serverEngine() throws TlsUnavailableException {
        return server().server().createSSLEngine();
    }

    @Override
    public SSLSocket createServerSideSocket(Socket accepted) throws TlsUnavailableException, IOException {
        return (SSLSocket) server().server().getSocketFactory().createSocket(accepted, null, true);
    }

    @Override
    public SSLContext clientContext(PeerVerification verification) {
        return material.client(verification);
    }

    @Override
    public SSLEngine clientEngine(String host, int port, PeerVerification verification) {
        requireHost(host, verification);
        return material.client(verification).createSSLEngine(host, port);
    }

    @Override
    public SSLSocketFactory clientSocketFactory(PeerVerification verification) {
        return material.client(verification).getSocketFactory();
    }

    @Override
    public SSLSocket createClientSocket(Socket plain, String host, int port, PeerVerification verification) throws IOException {
        requireHost(host, verification);
        return (SSLSocket) material.client(verification).getSocketFactory().createSocket(plain, host, port, true);
    }

    @Override
    public void verifyServer(X509Certificate[] chain, String host) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        for (TrustManager manager : material.trustManagers()) {
            if (manager instanceof X509TrustManager trust) {
                // TLS 1.3 names no key exchange; "UNKNOWN" checks the key usage a signature needs.
                trust.checkServerTrusted(chain, "UNKNOWN");
                ServerNames.check(chain[0], host);
                return;
            }
        }
        throw new CertificateException("no X.509 trust manager to verify the chain with");
    }

    @Override
    public TlsStatus status() {
        Material current = material;
        Problem reason = problem;
        return new StatusSnapshot(
                current.identity().map(Identity::info),
                Optional.ofNullable(reason).map(Problem::message),
                Optional.ofNullable(reason).map(Problem::at),
                current.protocols(),
                current.cipherSuites(),
                current.extraTrustAnchors());
    }

    private static void requireHost(String host, PeerVerification verification) {
        if (verification == PeerVerification.FULL && (host == null || host.isBlank())) {
            throw new IllegalArgumentException("Verifying the server's host name needs the host name");
        }
    }

    private record Problem(String message, Instant at) {
    }
}
