package org.mailslot.dkim.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimStages;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.pipeline.StageNeed;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value DkimStages#ARC_SEAL} pipeline stage: seals mail that Mailslot received from another
 * host and forwards (RFC 8617): nobody vouched for its sender (it was not submitted), it carries
 * Mailslot's own Authentication-Results (it went through a checked listener), and it goes to
 * recipients outside the local domains; a message for local and forwarded recipients becomes two
 * copies, only the forwarded one sealed. Ranked last ({@value #RANKING}, after {@code dkim-sign}), so
 * it seals the octets that leave. Off unless {@code domain} is configured; once on, it fails closed:
 * a missing key or authserv-id holds forwarded mail with the reason.
 */
@Component(name = ArcSealingProcessor.PID, service = MessageProcessor.class, configurationPid = ArcSealingProcessor.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {MessageProcessor.NAME + "=" + DkimStages.ARC_SEAL,
            "service.ranking:Integer=" + ArcSealingProcessor.RANKING})
@Designate(ocd = ArcSealingConfig.class)
public final class ArcSealingProcessor implements MessageProcessor {

    static final String PID = "org.mailslot.dkim.arc";
    static final int RANKING = -3000;

    private static final Logger LOG = LoggerFactory.getLogger(ArcSealingProcessor.class);

    /**
     * @param domain the sealing domain, empty when sealing is off
     * @param selector its selector
     * @param error why the configuration cannot be used, or null
     */
    record Settings(String domain, String selector, String error) {

        static Settings of(ArcSealingConfig config) {
            String domain = config.domain() == null ? "" : config.domain().strip();
            if (domain.isEmpty()) {
                return new Settings("", "", null);
            }
            try {
                return new Settings(DnsNames.check("domain", domain), DnsNames.check("selector", config.selector()), null);
            } catch (IllegalArgumentException e) {
                return new Settings(domain, "", e.getMessage());
            }
        }

        boolean off() {
            return domain.isEmpty();
        }
    }

    private final ConfiguredKeys keys = new ConfiguredKeys();
    private final Supplier<KeyLookup> lookups;
    private final Supplier<Set<String>> localDomains;
    private final Clock clock;
    private volatile Settings settings;
    private volatile SenderAuthenticator authenticator;

    @Activate
    public ArcSealingProcessor(ArcSealingConfig config, @Reference KeyLookups lookups, @Reference LocalDomains localDomains) {
        this(config, lookups::cached, localDomains::get, Clock.systemUTC());
    }

    ArcSealingProcessor(ArcSealingConfig config, Supplier<KeyLookup> lookups, Supplier<Set<String>> localDomains,
            Clock clock) {
        this.lookups = lookups;
        this.localDomains = localDomains;
        this.clock = clock;
        configure(config);
    }

    @Modified
    void configure(ArcSealingConfig config) {
        Settings fresh = Settings.of(config);
        if (fresh.error() != null) {
            LOG.error("ARC sealing ({}) is misconfigured and forwarded mail is held until it is fixed: {}", PID,
                    fresh.error());
        }
        settings = fresh;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindKey(ConfiguredKey key) {
        keys.add(key);
    }

    void unbindKey(ConfiguredKey key) {
        keys.remove(key);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthenticator(SenderAuthenticator bound) {
        this.authenticator = bound;
    }

    void unbindAuthenticator(SenderAuthenticator unbound) {
        if (this.authenticator == unbound) {
            this.authenticator = null;
        }
    }

    @Override
    public ProcessingResult process(Envelope envelope, MessageSource message) throws IOException {
        Settings current = settings;
        if (current.off() || envelope.authenticatedSender().isPresent()) {
            return ProcessingResult.proceed();
        }
        Set<String> local = localDomains.get();
        Predicate<Recipient> forwarded = recipient -> !local.contains(recipient.address().normalizedDomain());
        if (envelope.recipients().stream().noneMatch(forwarded)) {
            return ProcessingResult.proceed();
        }
        if (current.error() != null) {
            return ProcessingResult.defer("ARC sealing " + PID + " is invalid: " + current.error());
        }
        SenderAuthenticator checks = authenticator;
        if (checks == null) {
            return ProcessingResult.defer("ARC sealing waits for the sender checks (mailslot-auth): they name the"
                    + " Authentication-Results to seal");
        }
        String name = current.selector() + "._domainkey." + current.domain();
        Optional<ConfiguredKey> configured = keys.find(current.domain(), current.selector());
        if (configured.isEmpty()) {
            return ProcessingResult.defer("ARC sealing key " + name + " is not configured (no org.mailslot.dkim"
                    + " configuration for that domain and selector)");
        }
        Optional<SigningKey> key = configured.get().signingKey();
        if (key.isEmpty()) {
            return ProcessingResult.defer("ARC sealing key " + name + " cannot be used: "
                    + configured.get().problem().orElse("unknown"));
        }
        if (key.get().algorithm() != DkimAlgorithm.RSA_SHA256) {
            return ProcessingResult.defer("ARC sealing key " + name + " is " + key.get().algorithm().tag()
                    + ": ARC verifiers take rsa-sha256 only");
        }
        ArcSealer.Outcome outcome;
        try {
            outcome = new ArcSealer(lookups.get(), clock).seal(message, key.get(), checks.authservId());
        } catch (GeneralSecurityException e) {
            LOG.warn("ARC sealing failed; the message is held", e);
            return ProcessingResult.defer("ARC sealing failed: " + e.getMessage());
        }
        if (outcome instanceof ArcSealer.Retry retry) {
            return ProcessingResult.defer("ARC sealing: " + retry.reason());
        }
        if (outcome instanceof ArcSealer.Unsealed unsealed) {
            LOG.debug("Not ARC-sealed: {}", unsealed.reason());
            return ProcessingResult.proceed();
        }
        byte[] fields = ((ArcSealer.Sealed) outcome).fields();
        MessageSource sealed = () -> new SequenceInputStream(new ByteArrayInputStream(fields), message.open());
        if (envelope.recipients().stream().allMatch(forwarded)) {
            return ProcessingResult.proceed(null, sealed);
        }
        return ProcessingResult.proceed(List.of(new ProcessingResult.Copy(envelope.onlyFor(forwarded.negate()), message),
                new ProcessingResult.Copy(envelope.onlyFor(forwarded), sealed)));
    }

    @Override
    public StageNeed needFor(Envelope envelope) {
        Set<String> local = localDomains.get();
        if (settings.off() || envelope.authenticatedSender().isPresent()
                || envelope.recipients().stream().allMatch(r -> local.contains(r.address().normalizedDomain()))) {
            return StageNeed.notNeeded();
        }
        return StageNeed.needed("mail forwarded to other hosts is ARC-sealed (" + PID + ")");
    }
}
