package org.mailslot.crypto.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.crypto.ProtectRequest;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.support.mail.AddressList;

/**
 * Applies a policy to one delivery attempt. Recipients are grouped by treatment, and every group
 * that can go now goes in this attempt, as a copy of the message of its own with the envelope
 * narrowed to it; recipients held for a key or bundle wait for a later attempt. A message goes out
 * unprotected to a recipient only where the policy allows it, and is signed only as its
 * vouched-for author ({@link Signer}).
 */
final class OutboundPolicy {

    private static final int REASONS_SHOWN = 3;

    private final CryptoServices services;

    OutboundPolicy(CryptoServices services) {
        this.services = services;
    }

    ProcessingResult process(CryptoPolicy policy, Envelope envelope, MessageSource message)
            throws IOException {
        if (policy.touchesNobody() && !HeaderSection.hasField(message, ProtectRequest.HEADER)) {
            // Nothing to apply and nothing to remove: the message goes as it is, without parsing it.
            return ProcessingResult.proceed();
        }
        HeaderSection headers = HeaderSection.read(message);
        ProtectRequest request = headers.get(ProtectRequest.HEADER).map(ProtectRequest::parse).orElse(ProtectRequest.NONE);
        MessageSource content = headers.has(ProtectRequest.HEADER) ? headers.without(message, ProtectRequest.HEADER) : message;

        Map<MailAddress, RecipientPolicy> policies = policies(policy, envelope, request,
                ProtectedStructure.of(headers, message));
        if (policies.values().stream().allMatch(RecipientPolicy::isClear)) {
            return content == message ? ProcessingResult.proceed() : ProcessingResult.proceed(null, content);
        }
        Signer signer = Signer.of(headers, envelope);
        boolean anySignature = policies.values().stream().anyMatch(p -> p.sign() == SignRule.ALWAYS);
        List<MailAddress> encryptTo = policies.entrySet().stream()
                .filter(e -> e.getValue().encrypt() != EncryptRule.NEVER).map(Map.Entry::getKey).toList();
        Capabilities can = Capabilities.ask(services, encryptTo, anySignature ? signer : null);
        Set<MailAddress> visible = visibleRecipients(headers);

        Map<Copy, List<MailAddress>> groups = new LinkedHashMap<>();
        Set<String> held = new LinkedHashSet<>();
        Set<String> refused = new LinkedHashSet<>();
        policies.forEach((recipient, recipientPolicy) -> {
            Treatment treatment = TreatmentDecider.decide(recipient, recipientPolicy, can);
            if (treatment instanceof Treatment.Hold hold) {
                held.add(hold.reason());
            } else if (treatment instanceof Treatment.Refuse refuse) {
                refused.add(refuse.reason());
            } else {
                groups.computeIfAbsent(Copy.of(treatment, recipient, visible), c -> new ArrayList<>()).add(recipient);
            }
        });
        if (groups.isEmpty()) {
            // Refused only when nothing else waits: the spool fails every recipient it gave a processor.
            return held.isEmpty() ? ProcessingResult.refuse("5.7.1", summary(refused))
                    : ProcessingResult.defer(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING, summary(held));
        }
        if (groups.size() == 1) {
            Map.Entry<Copy, List<MailAddress>> only = groups.entrySet().iterator().next();
            Envelope narrowed = only.getValue().size() == envelope.recipients().size() ? null : narrow(envelope, only.getValue());
            if (!(only.getKey().treatment() instanceof Treatment.Protect)) {
                return narrowed == null && content == message ? ProcessingResult.proceed()
                        : ProcessingResult.proceed(narrowed, content == message ? null : content);
            }
        }
        List<ProcessingResult.Copy> copies = new ArrayList<>(groups.size());
        for (Map.Entry<Copy, List<MailAddress>> group : groups.entrySet()) {
            Envelope narrowed = narrow(envelope, group.getValue());
            if (!(group.getKey().treatment() instanceof Treatment.Protect protect)) {
                copies.add(new ProcessingResult.Copy(narrowed, content));
                continue;
            }
            Optional<MessageCrypto> crypto = services.get(protect.technology());
            if (crypto.isEmpty()) {
                return ProcessingResult.defer(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING,
                        CryptoServices.bundleOf(protect.technology()) + " went away while "
                        + "protecting for " + group.getValue().get(0));
            }
            try {
                // Without a vouched-for sender an encrypted copy has no copy for the sender either: the
                // From field alone must not decide whose key can read the message.
                copies.add(new ProcessingResult.Copy(narrowed, crypto.get().protect(signer.address().orElse(null),
                        group.getValue(), protect.protection(), content)));
                CryptoCounters.protectedMessage(protect.technology(), true);
            } catch (CryptoException e) {
                CryptoCounters.protectedMessage(protect.technology(), false);
                return ProcessingResult.defer(protect.protection().name().toLowerCase().replace('_', ' ') + " with "
                        + protect.technology().configName() + " failed for " + group.getValue().get(0) + ": "
                        + e.reason().name().toLowerCase().replace('_', ' ') + ": " + e.getMessage());
            }
        }
        boolean oneForAll = copies.size() == 1 && copies.get(0).envelope().recipients().size() == envelope.recipients().size();
        return oneForAll ? ProcessingResult.proceed(null, copies.get(0).message()) : ProcessingResult.proceed(copies);
    }

    /**
     * One copy of the message: recipients with the same treatment share it, except that an
     * encrypted copy names every key it is encrypted to, so a recipient the To and Cc fields do
     * not show (Bcc) gets a copy of their own and stays hidden from the others.
     *
     * @param hidden the one recipient of a copy of their own, or null for a shared copy
     */
    private record Copy(Treatment treatment, MailAddress hidden) {

        static Copy of(Treatment treatment, MailAddress recipient, Set<MailAddress> visible) {
            boolean encrypted = treatment instanceof Treatment.Protect protect && protect.protection().encrypts();
            return new Copy(treatment, encrypted && !visible.contains(recipient) ? recipient : null);
        }
    }

    /** @return the mailboxes of the To and Cc fields; a field that does not parse shows no one */
    private static Set<MailAddress> visibleRecipients(HeaderSection headers) {
        Set<MailAddress> visible = new HashSet<>();
        for (String name : List.of("To", "Cc")) {
            for (String value : headers.all(name)) {
                try {
                    visible.addAll(AddressList.parse(value));
                } catch (IllegalArgumentException e) {
                    // Nobody counts as shown by it, so everyone it might name gets a copy of their own.
                }
            }
        }
        return visible;
    }

    private static Map<MailAddress, RecipientPolicy> policies(CryptoPolicy policy, Envelope envelope,
            ProtectRequest request, Optional<RootProtection> protection) {
        boolean encrypted = protection.filter(RootProtection::encrypted).isPresent();
        boolean signed = protection.filter(p -> !p.encrypted()).isPresent();
        Map<MailAddress, RecipientPolicy> policies = new LinkedHashMap<>();
        for (Recipient recipient : envelope.recipients()) {
            RecipientPolicy asked = policy.forRecipient(recipient.address()).raisedBy(request);
            if (encrypted) {
                // Already end-to-end encrypted by its author: it is not in clear, and a signature
                // around ciphertext would prove nothing about the content.
                asked = new RecipientPolicy(EncryptRule.NEVER, SignRule.NEVER, asked.preferred());
            } else if (signed) {
                asked = new RecipientPolicy(asked.encrypt(), SignRule.NEVER, asked.preferred());
            }
            policies.put(recipient.address(), asked);
        }
        return policies;
    }

    private static Envelope narrow(Envelope envelope, List<MailAddress> keep) {
        return envelope.onlyFor(r -> keep.contains(r.address()));
    }

    private static String summary(Set<String> reasons) {
        List<String> shown = reasons.stream().limit(REASONS_SHOWN).toList();
        String summary = String.join("; ", shown);
        return reasons.size() > shown.size() ? summary + " (and " + (reasons.size() - shown.size()) + " more)" : summary;
    }
}
