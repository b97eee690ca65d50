package org.mailslot.queue.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;

class MessageHeadersTest {

    private static final Recipient BOB = new Recipient(MailAddress.parse("bob@example.test"),
            EnumSet.of(DsnNotify.FAILURE, DsnNotify.DELAY), Optional.of("rfc822;bob@example.test"));
    private static final Recipient CAROL = Recipient.of("carol@example.test");

    private static MessageHeaders.Head head() {
        Envelope envelope = Envelope.builder().from(MailAddress.parse("alice@example.test")).to(BOB).to(CAROL)
                .bodyType(BodyType.EIGHT_BIT_MIME).envelopeId("env-1").dsnReturn(DsnReturn.HDRS)
                .authenticatedSender(MailAddress.parse("alice@example.test")).requireTls(true).build();
        Waiting waiting = new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, "451 4.2.1 busy");
        DeliveryState state = new DeliveryState(3, Instant.ofEpochMilli(1_800_000_000_000L), Optional.of(waiting),
                List.of(new RecipientProgress(BOB, Status.DEFERRED, Optional.of("451 4.2.1 busy"), Optional.of(waiting),
                        Optional.of("4.2.1"), true),
                        new RecipientProgress(CAROL, Status.DELIVERED, Optional.of("250 ok"), Optional.empty(),
                                Optional.empty(), false)));
        return new MessageHeaders.Head("ABC123", Instant.ofEpochMilli(1_700_000_000_000L), 4242, envelope, state,
                Lane.REMOTE, true);
    }

    @Test
    void aMessagesEnvelopeAndStateSurviveTheBrokerMessage() {
        CoreMessage message = new CoreMessage(1, 512);
        MessageHeaders.write(head(), message);

        assertThat(MessageHeaders.read(message)).isEqualTo(head());
    }

    @Test
    void aManagementListingReadsAlike() {
        CoreMessage message = new CoreMessage(1, 512);
        MessageHeaders.write(head(), message);
        Map<String, Object> listed = new HashMap<>();
        message.getPropertyNames().forEach(name -> listed.put(name.toString(),
                String.valueOf(message.getObjectProperty(name))));

        assertThat(MessageHeaders.read(listed::get)).isEqualTo(head());
    }

    @Test
    void aMessageMailslotDidNotWriteIsRefused() {
        assertThatThrownBy(() -> MessageHeaders.read(new CoreMessage(1, 64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mailslot_id");
    }

    @Test
    void filtersSelectALaneOutsideHoldsAndOneIdWithoutInjection() {
        assertThat(MessageHeaders.laneFilter(Lane.LOCAL)).isEqualTo("mailslot_lane = 'LOCAL' AND mailslot_held = FALSE");
        assertThat(MessageHeaders.idFilter("x' OR '1'='1")).isEqualTo("mailslot_id = 'x'' OR ''1''=''1'");
    }
}
