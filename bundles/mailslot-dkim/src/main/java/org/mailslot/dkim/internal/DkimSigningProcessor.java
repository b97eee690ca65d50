package org.mailslot.dkim.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.mailslot.api.dkim.DkimStages;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.support.mail.AddressList;
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
 * The {@value DkimStages#SIGN} pipeline stage: signs each message that was submitted by a vouched-for
 * sender ({@link Envelope#authenticatedSender()}) and whose From domain has keys, with every one of
 * them (an RSA and an Ed25519 key make a dual signature). Ranked below the crypto
 * policy ({@value #RANKING} against its -1000), so it signs the octets that leave. The signature
 * fields are put before the spooled message as it is read; the message is not copied.
 */
@Component(name = DkimSigningProcessor.PID, service = MessageProcessor.class, configurationPid = DkimSigningProcessor.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {MessageProcessor.NAME + "=" + DkimStages.SIGN,
            "service.ranking:Integer=" + DkimSigningProcessor.RANKING})
@Designate(ocd = SigningConfig.class)
public final class DkimSigningProcessor implements MessageProcessor {

    static final String PID = "org.mailslot.dkim.signing";
    static final int RANKING = -2000;

    private static final Logger LOG = LoggerFactory.getLogger(DkimSigningProcessor.class);

    /** What to do with mail for a domain whose key cannot be used. */
    enum MissingKey { WAIT, UNSIGNED }

    record Settings(MissingKey missingKey, DkimSigner signer, String error) {
    }

    private final ConfiguredKeys keys = new ConfiguredKeys();
    private final Clock clock;
    private volatile Settings settings;

    @Activate
    public DkimSigningProcessor(SigningConfig config) {
        this(config, Clock.systemUTC());
    }

    DkimSigningProcessor(SigningConfig config, Clock clock) {
        this.clock = clock;
        configure(config);
    }

    @Modified
    void configure(SigningConfig config) {
        try {
            settings = settings(config, clock);
        } catch (IllegalArgumentException e) {
            LOG.error("DKIM signing ({}) is misconfigured and every message is held until it is fixed: {}", PID,
                    e.getMessage());
            settings = new Settings(MissingKey.WAIT, null, e.getMessage());
        }
    }

    static Settings settings(SigningConfig config, Clock clock) {
        MissingKey missing = switch (config.missing_key().strip().toLowerCase(Locale.ROOT)) {
            case "wait" -> MissingKey.WAIT;
            case "unsigned" -> MissingKey.UNSIGNED;
            default -> throw new IllegalArgumentException("missing.key must be wait or unsigned, not '"
                    + config.missing_key() + "'");
        };
        String[] c = config.canonicalization().strip().split("/", -1);
        Optional<Canonicalization> header = Canonicalization.ofTag(c[0]);
        Optional<Canonicalization> body = c.length == 2 ? Canonicalization.ofTag(c[1]) : Optional.empty();
        if (header.isEmpty() || body.isEmpty()) {
            throw new IllegalArgumentException("canonicalization must be header/body of simple or relaxed"
                    + " (e.g. relaxed/relaxed), not '" + config.canonicalization() + "'");
        }
        return new Settings(missing, new DkimSigner(header.get(), body.get(), clock), null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindKey(ConfiguredKey key) {
        keys.add(key);
    }

    void unbindKey(ConfiguredKey key) {
        keys.remove(key);
    }

    @Override
    public ProcessingResult process(Envelope envelope, MessageSource message) throws IOException {
        Settings current = settings;
        if (current.signer() == null) {
            return ProcessingResult.defer("DKIM signing " + PID + " is invalid: " + current.error());
        }
        if (envelope.authenticatedSender().isEmpty()) {
            // Nobody vouched for this message (mail that arrived without a bound login, a DSN):
            // our key must not make a forged From look authentic, even in a local mailbox.
            return ProcessingResult.proceed();
        }
        byte[] signatures;
        // One pass: the header section names the domain, the body follows on the same stream.
        try (InputStream in = new BufferedInputStream(message.open(), DkimSigner.HEADER_BUFFER)) {
            HeaderSection headers = HeaderSection.read(in);
            Optional<String> domain = fromDomain(headers);
            if (domain.isEmpty()) {
                return ProcessingResult.proceed();
            }
            List<ConfiguredKey> domainKeys = keys.ofDomain(domain.get());
            if (domainKeys.isEmpty()) {
                return ProcessingResult.proceed();
            }
            List<SigningKey> usable = new ArrayList<>();
            for (ConfiguredKey key : domainKeys) {
                Optional<SigningKey> signingKey = key.signingKey();
                if (signingKey.isPresent()) {
                    usable.add(signingKey.get());
                    continue;
                }
                String why = "DKIM key " + key.selector() + "._domainkey." + key.domain() + " cannot be used: "
                        + key.problem().orElse("unknown");
                if (current.missingKey() == MissingKey.WAIT) {
                    return ProcessingResult.defer(why);
                }
                LOG.warn("{}; sending without that signature (missing.key = unsigned)", why);
            }
            if (usable.isEmpty()) {
                return ProcessingResult.proceed();
            }
            signatures = current.signer().sign(headers, in, usable);
        } catch (GeneralSecurityException e) {
            LOG.warn("DKIM signing failed; the message is held", e);
            return ProcessingResult.defer("DKIM signing failed: " + e.getMessage());
        }
        return ProcessingResult.proceed(null,
                () -> new SequenceInputStream(new ByteArrayInputStream(signatures), message.open()));
    }

    /** The one domain of the From field's mailboxes; empty if there is no From field or it names several domains. */
    static Optional<String> fromDomain(HeaderSection headers) {
        List<HeaderField> from = headers.named("From");
        if (from.size() != 1) {
            return Optional.empty();
        }
        try {
            List<String> domains = AddressList.parse(from.get(0).value()).stream().map(MailAddress::domain)
                    .map(d -> d.toLowerCase(Locale.ROOT)).distinct().toList();
            return domains.size() == 1 ? Optional.of(domains.get(0)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
