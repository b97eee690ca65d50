package org.mailslot.api.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;

class RecipientOutcomeTest {

    private static final MailAddress BOB = MailAddress.parse("bob@example.org");

    @Test
    void aFailureSaysWhyAndAnAcceptedRecipientHasNoCause() {
        RecipientOutcome unreachable = new RecipientOutcome(BOB, DeliveryStatus.TEMPORARY_FAILURE, 0, "4.4.1",
                "no usable port", "mx.example.org", 0, Optional.empty(), FailureCause.NO_USABLE_SERVER);

        assertThat(unreachable.failure()).contains(FailureCause.NO_USABLE_SERVER);
        assertThat(accepted().failure()).isEmpty();
        assertThatThrownBy(() -> new RecipientOutcome(BOB, DeliveryStatus.ACCEPTED, 250, "2.0.0", "Ok", "", 0,
                Optional.empty(), FailureCause.REPLIED_4XX)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failure must be empty exactly when the status is ACCEPTED");
    }

    @Test
    void aTransportThatGivesOnlyReplyCodesGetsTheCauseTheySay() {
        assertThat(outcome(DeliveryStatus.TEMPORARY_FAILURE, 451).failure()).contains(FailureCause.REPLIED_4XX);
        assertThat(outcome(DeliveryStatus.PERMANENT_FAILURE, 550).failure()).contains(FailureCause.REPLIED_5XX);
        assertThat(outcome(DeliveryStatus.TEMPORARY_FAILURE, 0).failure()).contains(FailureCause.CONNECTION_LOST);
        assertThat(outcome(DeliveryStatus.PERMANENT_FAILURE, 0).failure()).contains(FailureCause.NOT_SUPPORTED);
    }

    private static RecipientOutcome accepted() {
        return outcome(DeliveryStatus.ACCEPTED, 250);
    }

    private static RecipientOutcome outcome(DeliveryStatus status, int code) {
        return new RecipientOutcome(BOB, status, code, "", "text", "", 0, Optional.empty());
    }
}
