package org.mailslot.crypto.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import org.mailslot.api.crypto.CryptoStages;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.pipeline.StageNeed;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.support.osgi.ServiceAtUse;
import org.osgi.framework.BundleContext;
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
 * The outbound policy as a pipeline stage. It runs without configuration too (encrypt never, sign
 * never) so that it is always registered while this bundle runs, and a configuration change is
 * applied in place ({@link Modified}) so that the stage never disappears for a moment. A
 * configuration that does not parse holds every message, with the error as the reason, until it
 * is fixed. Ranked low, so that processors that change content run before it and those that sign
 * the final octets (DKIM) after.
 */
@Component(name = CryptoPolicyProcessor.NAME, service = MessageProcessor.class, configurationPid = CryptoPolicyProcessor.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {MessageProcessor.NAME + "=" + CryptoStages.POLICY, "service.ranking:Integer=-1000"})
@Designate(ocd = PolicyConfig.class)
public final class CryptoPolicyProcessor implements MessageProcessor {

    static final String PID = "org.mailslot.crypto";
    static final String NAME = "org.mailslot.crypto.policy";

    private static final Logger LOG = LoggerFactory.getLogger(CryptoPolicyProcessor.class);

    /** The policy in force, or why there is none. */
    private record State(CryptoPolicy policy, String error) {
    }

    /**
     * The spool, told when a crypto bundle comes, so that the mail held for it goes at once. Looked up, and told
     * from another thread: the spool binds this processor, and may be doing so on the thread that binds a bundle.
     */
    volatile ServiceAtUse<OutboundPipeline> pipeline = ServiceAtUse.fixed(null);
    volatile Executor wakeups = ForkJoinPool.commonPool();

    private final CryptoServices services = new CryptoServices();
    private final OutboundPolicy outbound = new OutboundPolicy(services);
    private volatile State state;

    @Activate
    public CryptoPolicyProcessor(BundleContext context, Map<String, Object> properties) {
        this(properties);
        pipeline = ServiceAtUse.lookedUpIn(context, OutboundPipeline.class);
    }

    CryptoPolicyProcessor(Map<String, Object> properties) {
        configure(properties);
    }

    @Modified
    void configure(Map<String, Object> properties) {
        try {
            state = new State(PolicyParser.parse(properties), null);
        } catch (IllegalArgumentException e) {
            LOG.error("The crypto policy ({}) is invalid and every message is held until it is fixed: {}", PID,
                    e.getMessage());
            state = new State(null, e.getMessage());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCrypto(MessageCrypto crypto, Map<String, Object> properties) {
        services.add(crypto, properties);
        // After the add: the attempts it starts find the bundle.
        ServiceAtUse<OutboundPipeline> spool = pipeline;
        wakeups.execute(() -> spool.accept(waiting -> waiting.arrived(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING)));
    }

    void unbindCrypto(MessageCrypto crypto, Map<String, Object> properties) {
        services.remove(crypto, properties);
    }

    /** For tests: the services this processor sees. */
    CryptoServices services() {
        return services;
    }

    @Override
    public ProcessingResult process(Envelope envelope, MessageSource message) throws IOException {
        State current = state;
        if (current.policy() == null) {
            return ProcessingResult.defer("crypto policy " + PID + " is invalid: " + current.error());
        }
        try {
            return outbound.process(current.policy(), envelope, message);
        } catch (RuntimeException e) {
            LOG.warn("The crypto policy failed on a message to {}; it is held", envelope.recipients(), e);
            return ProcessingResult.defer("crypto policy failed: " + e);
        }
    }

    /** Needed for every recipient whose mail the policy would touch: skipping it would send what it protects in clear. */
    @Override
    public StageNeed needFor(Envelope envelope) {
        State current = state;
        if (current.policy() == null) {
            return StageNeed.needed("crypto policy " + PID + " is invalid: " + current.error());
        }
        for (Recipient recipient : envelope.recipients()) {
            RecipientPolicy policy = current.policy().forRecipient(recipient.address());
            if (policy.encrypt() != EncryptRule.NEVER) {
                return StageNeed.needed("the crypto policy encrypts mail to " + recipient.address() + " (encrypt="
                        + policy.encrypt().configName() + ")");
            }
            if (policy.sign() != SignRule.NEVER) {
                return StageNeed.needed("the crypto policy signs mail to " + recipient.address() + " (sign="
                        + policy.sign().configName() + ")");
            }
        }
        return StageNeed.notNeeded();
    }
}
