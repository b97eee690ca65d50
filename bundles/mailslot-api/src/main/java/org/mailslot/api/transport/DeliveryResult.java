package org.mailslot.api.transport;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The result of one delivery: an outcome for each recipient of the envelope, in envelope order,
 * and the attempts made.
 *
 * @param route the name of the route used
 * @param recipients one outcome per recipient
 * @param attempts every connection attempt, in order
 */
@ProviderType
public record DeliveryResult(String route, List<RecipientOutcome> recipients, List<Attempt> attempts) {

    public DeliveryResult {
        recipients = List.copyOf(recipients);
        attempts = List.copyOf(attempts);
    }

    /** @return true if every recipient was accepted */
    public boolean allAccepted() {
        return recipients.stream().allMatch(outcome -> outcome.status() == DeliveryStatus.ACCEPTED);
    }
}
