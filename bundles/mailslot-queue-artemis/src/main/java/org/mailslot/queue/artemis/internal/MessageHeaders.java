package org.mailslot.queue.artemis.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.Message;
import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.queue.DeliveryState;
import org.mailslot.api.queue.Lane;
import org.mailslot.api.queue.RecipientProgress;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;

/**
 * A queued message's envelope, delivery state, lane and hold as properties of its broker message, so
 * that the broker can select by them (a consumer per lane, an operator's id) and every node reads the
 * same message alike. The octets are the body.
 */
final class MessageHeaders {

    static final String ID = "mailslot_id";
    static final String ACCEPTED = "mailslot_accepted";
    static final String SIZE = "mailslot_size";
    static final String LANE = "mailslot_lane";
    static final String HELD = "mailslot_held";
    private static final String FROM = "mailslot_from";
    private static final String BODY = "mailslot_body";
    private static final String ENVID = "mailslot_envid";
    private static final String RET = "mailslot_ret";
    private static final String AUTH = "mailslot_auth";
    private static final String REQUIRETLS = "mailslot_requiretls";
    private static final String ATTEMPTS = "mailslot_attempts";
    private static final String NEXT = "mailslot_next";
    private static final String WAIT_REASON = "mailslot_wait_reason";
    private static final String WAIT_DETAIL = "mailslot_wait_detail";
    private static final String RCPT_COUNT = "mailslot_rcpt_count";

    /** The header a queued message is written with. */
    record Head(String id, Instant acceptedAt, long size, Envelope envelope, DeliveryState state, Lane lane,
            boolean held) {
    }

    private MessageHeaders() {
    }

    /** @return the filter of the messages in a lane that no operator holds */
    static String laneFilter(Lane lane) {
        return LANE + " = '" + lane.name() + "' AND " + HELD + " = FALSE";
    }

    /** @return the filter of the messages no operator holds */
    static String notHeld() {
        return HELD + " = FALSE";
    }

    /** @return the filter of the messages no operator holds whose last attempt left them waiting for the reason */
    static String waitingFor(WaitReason reason) {
        return WAIT_REASON + " = '" + reason.name() + "' AND " + notHeld();
    }

    /** @return the filter of the one message with this id (an id is letters, digits and '-', never a quote) */
    static String idFilter(String id) {
        return ID + " = '" + id.replace("'", "''") + "'";
    }

    static void write(Head head, Message message) {
        message.putStringProperty(ID, head.id());
        message.putLongProperty(ACCEPTED, head.acceptedAt().toEpochMilli());
        message.putLongProperty(SIZE, head.size());
        message.putStringProperty(LANE, head.lane().name());
        message.putBooleanProperty(HELD, head.held());
        Envelope envelope = head.envelope();
        message.putStringProperty(FROM, envelope.reversePath().map(MailAddress::toString).orElse(""));
        message.putStringProperty(BODY, envelope.bodyType().keyword());
        envelope.envelopeId().ifPresent(v -> message.putStringProperty(ENVID, v));
        envelope.dsnReturn().ifPresent(v -> message.putStringProperty(RET, v.name()));
        envelope.authenticatedSender().ifPresent(v -> message.putStringProperty(AUTH, v.toString()));
        if (envelope.requireTls()) {
            message.putBooleanProperty(REQUIRETLS, true);
        }
        DeliveryState state = head.state();
        message.putIntProperty(ATTEMPTS, state.attempts());
        message.putLongProperty(NEXT, state.nextAttempt().toEpochMilli());
        state.waiting().ifPresent(w -> {
            message.putStringProperty(WAIT_REASON, w.reason().name());
            message.putStringProperty(WAIT_DETAIL, w.detail());
        });
        message.putIntProperty(RCPT_COUNT, state.recipients().size());
        int i = 0;
        for (RecipientProgress progress : state.recipients()) {
            String prefix = "mailslot_rcpt_" + i++ + "_";
            Recipient r = progress.recipient();
            message.putStringProperty(prefix + "addr", r.address().toString());
            message.putStringProperty(prefix + "notify",
                    r.notifyOn().stream().map(Enum::name).collect(Collectors.joining(",")));
            r.originalRecipient().ifPresent(v -> message.putStringProperty(prefix + "orcpt", v));
            message.putStringProperty(prefix + "status", progress.status().name());
            progress.lastReply().ifPresent(v -> message.putStringProperty(prefix + "reply", v));
            progress.waiting().ifPresent(w -> {
                message.putStringProperty(prefix + "wait_reason", w.reason().name());
                message.putStringProperty(prefix + "wait_detail", w.detail());
            });
            progress.nextHopStatus().ifPresent(v -> message.putStringProperty(prefix + "nexthop", v));
            message.putBooleanProperty(prefix + "delaynoticed", progress.delayNoticed());
        }
    }

    /** A message's properties by name, from a received message or a management listing. */
    @FunctionalInterface
    interface Fields {
        Object get(String name);
    }

    static Head read(Message message) {
        return read(message::getObjectProperty);
    }

    /**
     * @throws IllegalArgumentException if the message is not one Mailslot wrote
     */
    static Head read(Fields message) {
        String id = text(message, ID);
        if (id == null) {
            throw new IllegalArgumentException("a broker message carries no " + ID);
        }
        Envelope.Builder builder = Envelope.builder().from(text(message, FROM))
                .bodyType(BodyType.ofKeyword(text(message, BODY)))
                .envelopeId(text(message, ENVID));
        Optional.ofNullable(text(message, RET)).map(DsnReturn::valueOf).ifPresent(builder::dsnReturn);
        Optional.ofNullable(text(message, AUTH)).map(MailAddress::parse).ifPresent(builder::authenticatedSender);
        builder.requireTls(flag(message, REQUIRETLS));
        int count = (int) number(message, RCPT_COUNT);
        List<RecipientProgress> recipients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String prefix = "mailslot_rcpt_" + i + "_";
            Set<DsnNotify> notifyOn = EnumSet.noneOf(DsnNotify.class);
            String notify = text(message, prefix + "notify");
            if (notify != null && !notify.isEmpty()) {
                for (String n : notify.split(",")) {
                    notifyOn.add(DsnNotify.valueOf(n));
                }
            }
            Recipient recipient = new Recipient(MailAddress.parse(text(message, prefix + "addr")), notifyOn,
                    Optional.ofNullable(text(message, prefix + "orcpt")));
            builder.to(recipient);
            recipients.add(new RecipientProgress(recipient,
                    RecipientState.Status.valueOf(text(message, prefix + "status")),
                    Optional.ofNullable(text(message, prefix + "reply")),
                    waiting(message, prefix + "wait_reason", prefix + "wait_detail"),
                    Optional.ofNullable(text(message, prefix + "nexthop")),
                    flag(message, prefix + "delaynoticed")));
        }
        DeliveryState state = new DeliveryState((int) number(message, ATTEMPTS),
                Instant.ofEpochMilli(number(message, NEXT)), waiting(message, WAIT_REASON, WAIT_DETAIL), recipients);
        return new Head(id, Instant.ofEpochMilli(number(message, ACCEPTED)), number(message, SIZE), builder.build(),
                state, Lane.valueOf(text(message, LANE)), flag(message, HELD));
    }

    private static String text(Fields message, String name) {
        Object value = message.get(name);
        return value == null ? null : value.toString();
    }

    private static long number(Fields message, String name) {
        Object value = message.get(name);
        if (value == null) {
            throw new IllegalArgumentException("a broker message carries no " + name);
        }
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
    }

    private static boolean flag(Fields message, String name) {
        Object value = message.get(name);
        return value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value));
    }

    private static Optional<Waiting> waiting(Fields message, String reason, String detail) {
        return Optional.ofNullable(text(message, reason))
                .map(r -> new Waiting(WaitReason.valueOf(r), Optional.ofNullable(text(message, detail)).orElse("")));
    }
}
