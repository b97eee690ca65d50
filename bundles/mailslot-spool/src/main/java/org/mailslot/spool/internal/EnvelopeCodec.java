package org.mailslot.spool.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;

/**
 * The head of a spool file: a first line {@code MAILSLOT-SPOOL 1 <length>} and then that many
 * octets of properties holding the id, the time of acceptance and the envelope. The message
 * follows, so that one rename makes message and envelope visible together.
 */
final class EnvelopeCodec {

    static final String MAGIC = "MAILSLOT-SPOOL 1";
    private static final int MAX_HEAD = 1 << 20;

    record Head(String id, Instant received, Envelope envelope, long bodyOffset) {
    }

    private EnvelopeCodec() {
    }

    static byte[] encode(String id, Instant received, Envelope envelope) {
        PropertyLines p = new PropertyLines()
                .put("id", id)
                .put("received", received.toString())
                .put("from", envelope.reversePath().map(MailAddress::toString).orElse(""))
                .put("body", envelope.bodyType().keyword());
        envelope.envelopeId().ifPresent(v -> p.put("envid", v));
        envelope.dsnReturn().ifPresent(v -> p.put("ret", v.name()));
        envelope.authenticatedSender().ifPresent(v -> p.put("auth", v.toString()));
        if (envelope.requireTls()) {
            // Only when set: a head without it, as every spool before REQUIRETLS wrote, reads as off.
            p.put("requiretls", "true");
        }
        p.put("rcpt.count", envelope.recipients().size());
        int i = 0;
        for (Recipient r : envelope.recipients()) {
            p.put("rcpt." + i + ".addr", r.address().toString());
            p.put("rcpt." + i + ".notify", r.notifyOn().stream().map(Enum::name).collect(Collectors.joining(",")));
            final int index = i;
            r.originalRecipient().ifPresent(v -> p.put("rcpt." + index + ".orcpt", v));
            i++;
        }
        byte[] props = p.toBytes();
        byte[] first = (MAGIC + " " + props.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(first, first.length + props.length);
        System.arraycopy(props, 0, all, first.length, props.length);
        return all;
    }

    /** Reads the head; the stream is left at the first octet of the message. */
    static Head decode(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0 || line.length() > 64) {
                throw new IOException("Not a spool file: no " + MAGIC + " line");
            }
            line.append((char) c);
        }
        String first = line.toString();
        if (!first.startsWith(MAGIC + " ")) {
            throw new IOException("Not a spool file: first line is \"" + first + "\"");
        }
        int length;
        try {
            length = Integer.parseInt(first.substring(MAGIC.length() + 1));
        } catch (NumberFormatException e) {
            throw new IOException("Not a spool file: bad head length in \"" + first + "\"");
        }
        if (length < 0 || length > MAX_HEAD) {
            throw new IOException("Not a spool file: head length " + length);
        }
        byte[] head = in.readNBytes(length);
        if (head.length != length) {
            throw new IOException("Truncated spool file head");
        }
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(head));
        try {
            Envelope.Builder builder = Envelope.builder().from(p.getProperty("from", ""))
                    .bodyType(BodyType.ofKeyword(p.getProperty("body", "7BIT")))
                    .envelopeId(p.getProperty("envid"))
                    .requireTls(Boolean.parseBoolean(p.getProperty("requiretls", "false")));
            Optional.ofNullable(p.getProperty("ret")).map(DsnReturn::valueOf).ifPresent(builder::dsnReturn);
            Optional.ofNullable(p.getProperty("auth")).map(MailAddress::parse).ifPresent(builder::authenticatedSender);
            int count = Integer.parseInt(p.getProperty("rcpt.count"));
            for (int i = 0; i < count; i++) {
                String notify = p.getProperty("rcpt." + i + ".notify", "");
                Set<DsnNotify> notifyOn = EnumSet.noneOf(DsnNotify.class);
                if (!notify.isEmpty()) {
                    for (String n : notify.split(",")) {
                        notifyOn.add(DsnNotify.valueOf(n));
                    }
                }
                builder.to(new Recipient(MailAddress.parse(p.getProperty("rcpt." + i + ".addr")), notifyOn,
                        Optional.ofNullable(p.getProperty("rcpt." + i + ".orcpt"))));
            }
            return new Head(p.getProperty("id"), Instant.parse(p.getProperty("received")), builder.build(),
                    first.length() + 1L + length);
        } catch (RuntimeException e) {
            throw new IOException("Unreadable envelope in spool file: " + e.getMessage(), e);
        }
    }
}
