package org.mailslot.api.mail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The SMTP envelope of one message: its reverse path, its recipients and the MAIL parameters
 * that must travel with it (body type, SMTPUTF8, DSN envelope id and return, REQUIRETLS), and
 * who vouched for the sender.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}. An envelope always has at
 * least one recipient and no recipient twice.
 */
@ProviderType
public final class Envelope {

    /** Longest ENVID value accepted, in characters (RFC 3461 section 4.4 bounds it at 100). */
    public static final int MAX_ENVELOPE_ID = 100;

    private final Optional<MailAddress> reversePath;
    private final List<Recipient> recipients;
    private final BodyType bodyType;
    private final Optional<String> envelopeId;
    private final Optional<DsnReturn> dsnReturn;
    private final Optional<MailAddress> authenticatedSender;
    private final boolean requireTls;

    private Envelope(Builder builder) {
        this.reversePath = Optional.ofNullable(builder.reversePath);
        this.recipients = List.copyOf(builder.recipients.values());
        this.bodyType = builder.bodyType;
        this.envelopeId = Optional.ofNullable(builder.envelopeId);
        this.dsnReturn = Optional.ofNullable(builder.dsnReturn);
        this.authenticatedSender = Optional.ofNullable(builder.authenticatedSender);
        this.requireTls = builder.requireTls;
    }

    /** @return a builder for a new envelope */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder that starts as a copy of this envelope */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.reversePath = reversePath.orElse(null);
        recipients.forEach(builder::to);
        builder.bodyType = bodyType;
        builder.envelopeId = envelopeId.orElse(null);
        builder.dsnReturn = dsnReturn.orElse(null);
        builder.authenticatedSender = authenticatedSender.orElse(null);
        builder.requireTls = requireTls;
        return builder;
    }

    /**
     * @param kept which of this envelope's recipients the new one keeps; the rest of it is this one's
     * @return this envelope for those recipients only
     * @throws IllegalStateException if none is kept
     */
    public Envelope onlyFor(java.util.function.Predicate<? super Recipient> kept) {
        Builder builder = toBuilder();
        builder.recipients.values().removeIf(kept.negate());
        return builder.build();
    }

    /**
     * @return the reverse path, or empty for the null reverse path {@code <>} that bounces and
     *     other notifications carry so that they are never bounced in turn
     */
    public Optional<MailAddress> reversePath() {
        return reversePath;
    }

    /** @return the recipients in the order they were given; never empty */
    public List<Recipient> recipients() {
        return recipients;
    }

    /** @return the declared body type */
    public BodyType bodyType() {
        return bodyType;
    }

    /**
     * @return the DSN envelope identifier (ENVID), if any, decoded: the listener decodes the xtext
     *     of the MAIL parameter and the transport encodes it again for the next hop
     */
    public Optional<String> envelopeId() {
        return envelopeId;
    }

    /** @return what a DSN should return of the message (RET), if the client said */
    public Optional<DsnReturn> dsnReturn() {
        return dsnReturn;
    }

    /**
     * The address whose owner submitted this message, as far as someone accountable vouched for it:
     * a listener sets it when the session's login is bound to the reverse path, an in-container
     * caller when it acts for that address. Whatever speaks for the sender — a signature made with
     * the sender's key above all — relies on this and never on the reverse path or the From header,
     * which anyone can write.
     *
     * @return the vouched-for sender, or empty when nobody vouched for one
     */
    public Optional<MailAddress> authenticatedSender() {
        return authenticatedSender;
    }

    /**
     * REQUIRETLS (RFC 8689): the message may travel only over TLS to next hops whose identity was
     * verified through DANE, MTA-STS or a route configured to verify, and that take REQUIRETLS in
     * turn; where that cannot be had it is returned to the sender with 5.7.30, never sent otherwise.
     * The flag stays with the message to its last hop, and a {@code TLS-Required: No} header does not
     * lift it.
     *
     * @return whether the message was submitted with REQUIRETLS
     */
    public boolean requireTls() {
        return requireTls;
    }

    /** @return true if an address in the envelope holds non-ASCII characters (RFC 6531) */
    public boolean requiresSmtpUtf8() {
        return reversePath.map(MailAddress::requiresSmtpUtf8).orElse(false)
                || recipients.stream().anyMatch(r -> r.address().requiresSmtpUtf8());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Envelope that
                && reversePath.equals(that.reversePath)
                && recipients.equals(that.recipients)
                && bodyType == that.bodyType
                && envelopeId.equals(that.envelopeId)
                && dsnReturn.equals(that.dsnReturn)
                && authenticatedSender.equals(that.authenticatedSender)
                && requireTls == that.requireTls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reversePath, recipients, bodyType, envelopeId, dsnReturn, authenticatedSender, requireTls);
    }

    @Override
    public String toString() {
        return "Envelope[from=<" + reversePath.map(MailAddress::toString).orElse("") + ">, to="
                + recipients.stream().map(r -> r.address().toString()).toList() + "]";
    }

    /** Collects the parts of an envelope; not thread-safe. */
    @ProviderType
    public static final class Builder {

        private MailAddress reversePath;
        private final Map<MailAddress, Recipient> recipients = new LinkedHashMap<>();
        private BodyType bodyType = BodyType.SEVEN_BIT;
        private String envelopeId;
        private DsnReturn dsnReturn;
        private MailAddress authenticatedSender;
        private boolean requireTls;

        private Builder() {
        }

        /** @param sender the reverse path; null for the null reverse path {@code <>} */
        public Builder from(MailAddress sender) {
            this.reversePath = sender;
            return this;
        }

        /** @param sender the reverse path, parsed; the empty string for {@code <>} */
        public Builder from(String sender) {
            return from(sender.isEmpty() ? null : MailAddress.parse(sender));
        }

        /**
         * @throws IllegalArgumentException if the recipient's address is already in the envelope
         */
        public Builder to(Recipient recipient) {
            Objects.requireNonNull(recipient, "recipient");
            if (recipients.putIfAbsent(recipient.address(), recipient) != null) {
                throw new IllegalArgumentException("Duplicate recipient " + recipient.address());
            }
            return this;
        }

        public Builder to(MailAddress recipient) {
            return to(Recipient.of(recipient));
        }

        public Builder to(String recipient) {
            return to(Recipient.of(recipient));
        }

        public Builder bodyType(BodyType type) {
            this.bodyType = Objects.requireNonNull(type, "bodyType");
            return this;
        }

        /**
         * @param id the ENVID value decoded from xtext, or null for none
         * @throws IllegalArgumentException if it is too long or not printable ASCII (spaces allowed,
         *     RFC 3461 section 4.4)
         */
        public Builder envelopeId(String id) {
            if (id != null) {
                MailSyntax.requireSingleLine("ENVID", id);
                if (id.isBlank() || id.length() > MAX_ENVELOPE_ID
                        || !id.chars().allMatch(c -> c >= 32 && c < 127)) {
                    throw new IllegalArgumentException("ENVID " + MailSyntax.quote(id)
                            + " must be 1 to " + MAX_ENVELOPE_ID + " printable ASCII characters");
                }
            }
            this.envelopeId = id;
            return this;
        }

        public Builder dsnReturn(DsnReturn ret) {
            this.dsnReturn = ret;
            return this;
        }

        /** @param sender the address the submitter is known to own, or null; see {@link Envelope#authenticatedSender()} */
        public Builder authenticatedSender(MailAddress sender) {
            this.authenticatedSender = sender;
            return this;
        }

        /** @param required whether the message asks for REQUIRETLS; see {@link Envelope#requireTls()} */
        public Builder requireTls(boolean required) {
            this.requireTls = required;
            return this;
        }

        /**
         * @return the envelope
         * @throws IllegalStateException if no recipient was given
         */
        public Envelope build() {
            if (recipients.isEmpty()) {
                throw new IllegalStateException("An envelope needs at least one recipient");
            }
            return new Envelope(this);
        }
    }
}
