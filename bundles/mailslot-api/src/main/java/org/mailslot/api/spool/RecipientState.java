package org.mailslot.api.spool;

import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.mail.MailAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where one recipient of a spooled message stands.
 *
 * @param address the recipient
 * @param status its delivery state
 * @param lastReply the reply or error of its last attempt, such as {@code 451 4.3.0 try later}
 */
@ProviderType
public record RecipientState(MailAddress address, Status status, Optional<String> lastReply) {

    /** The delivery state of one recipient. */
    @ProviderType
    public enum Status {
        /** Not yet attempted. */
        PENDING,
        /** Attempted, failed temporarily; will be tried again. */
        DEFERRED,
        /** Handed to the next hop or to the local mailbox; finished. */
        DELIVERED,
        /** Failed permanently or expired; a delivery status notification went to the sender. */
        FAILED;

        /** @return true if nothing more will be done for a recipient in this state */
        public boolean isFinal() {
            return this == DELIVERED || this == FAILED;
        }
    }

    public RecipientState {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastReply, "lastReply");
    }
}
