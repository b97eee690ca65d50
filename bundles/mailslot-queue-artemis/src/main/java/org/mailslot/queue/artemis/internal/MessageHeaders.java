package org.mailslot.queue.artemis.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
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

    /** The property names as the client encodes them, made once: a message is written at every enqueue and attempt. */
    private static final SimpleString ID_KEY = SimpleString.of(ID);
    private static final SimpleString ACCEPTED_KEY = SimpleString.of(ACCEPTED);
    private static final SimpleString SIZE_KEY = SimpleString.of(SIZE);
    private static final SimpleString LANE_KEY = SimpleString.of(LANE);
    private static final SimpleString HELD_KEY = SimpleString.of(HELD);
    private static final SimpleString FROM_KEY = SimpleString.of(FROM);
    private static final SimpleString BODY_KEY = SimpleString.of(BODY);
    private static final SimpleString ENVID_KEY = SimpleString.of(ENVID);
    private static final SimpleString RET_KEY = SimpleString.of(RET);
    private static final SimpleString AUTH_KEY = SimpleString.of(AUTH);
    private static final SimpleString REQUIRETLS_KEY = SimpleString.of(REQUIRETLS);
    private static final SimpleString ATTEMPTS_KEY = SimpleString.of(ATTEMPTS);
    private static final SimpleString NEXT_KEY = SimpleString.of(NEXT);
    private static final SimpleString WAIT_REASON_KEY = SimpleString.of(WAIT_REASON);
    private static final SimpleString WAIT_DETAIL_KEY = SimpleString.of(WAIT_DETAIL);
    private static final SimpleString RCPT_COUNT_KEY = SimpleString.of(RCPT_COUNT);
    private static final Map<Integer, RecipientKeys> RECIPIENT_KEYS = new ConcurrentHashMap<>();

    /** The property names of the recipient at one index. */
    private record RecipientKeys(SimpleString addr, SimpleString notifyOn, SimpleString orcpt, SimpleString status,
            SimpleString reply, SimpleString waitReason, SimpleString waitDetail, SimpleString nexthop,
            SimpleString delayNoticed) {

        static RecipientKeys of(int index) {
            return RECIPIENT_KEYS.computeIfAbsent(index, i -> {
                String prefix = "mailslot_rcpt_" + i + "_";
                return new RecipientKeys(SimpleString.of(prefix + "addr"), SimpleString.of(prefix + "notify"),
                        SimpleString.of(prefix + "orcpt"), SimpleString.of(prefix + "status"),
                        SimpleString.of(prefix + "reply"), SimpleString.of(prefix + "wait_reason"),
                        SimpleString.of(prefix + "wait_detail"), SimpleString.of(prefix + "nexthop"),
                        SimpleString.of(prefix + "delaynoticed"));
            });
        }
    }

    static void write(Head head, Message message) {
        message.putStringProperty(ID_KEY, head.id());
        message.putLongProperty(ACCEPTED_KEY, head.acceptedAt().toEpochMilli());
        message.putLongProperty(SIZE_KEY, head.size());
        message.putStringProperty(LANE_KEY, head.lane().name());
        message.putBooleanProperty(HELD_KEY, head.held());
        Envelope envelope = head.envelope();
        message.putStringProperty(FROM_KEY, envelope.reversePath().map(MailAddress::toString).orElse(""));
        message.putStringProperty(BODY_KEY, envelope.bodyType().keyword());
        envelope.envelopeId().ifPresent(v -> message.putStringProperty(ENVID_KEY, v));
        envelope.dsnReturn().ifPresent(v -> message.putStringProperty(RET_KEY, v.name()));
        envelope.authenticatedSender().ifPresent(v -> message.putStringProperty(AUTH_KEY, v.toString()));
        if (envelope.requireTls()) {
            message.putBooleanProperty(REQUIRETLS_KEY, true);
        }
        DeliveryState state = head.state();
        message.putIntProperty(ATTEMPTS_KEY, state.attempts());
        message.putLongProperty(NEXT_KEY, state.nextAttempt().toEpochMilli());
        state.waiting().ifPresent(w -> {
            message.putStringProperty(WAIT_REASON_KEY, w.reason().name());
            message.putStringProperty(WAIT_DETAIL_KEY, w.detail());
        });
        message.putIntProperty(RCPT_COUNT_KEY, state.recipients().size());
        int i = 0;
        for (RecipientProgress progress : state.recipients()) {
            RecipientKeys keys = RecipientKeys.of(i++);
            Recipient r = progress.recipient();
            message.putStringProperty(keys.addr(), r.address().toString());
            message.putStringProperty(keys.notifyOn(),
                    r.notifyOn().stream().map(Enum::name).collect(Collectors.joining(",")));
            r.originalRecipient().ifPresent(v -> message.putStringProperty(keys.orcpt(), v));
            message.putStringProperty(keys.status(), progress.status().name());
            progress.lastReply().ifPresent(v -> message.putStringProperty(keys.reply(), v));
            progress.waiting().ifPresent(w -> {
                message.putStringProperty(keys.waitReason(), w.reason().name());
                message.putStringProperty(keys.waitDetail(), w.detail());
            });
            progress.nextHopStatus().ifPresent(v -> message.putStringProperty(keys.nexthop(), v));
            message.putBooleanProperty(keys.delayNoticed(), progress.delayNoticed());
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
