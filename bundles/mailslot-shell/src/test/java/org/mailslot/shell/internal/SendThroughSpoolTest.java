package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.pipeline.RequiredStage;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;

class SendThroughSpoolTest {

    /** A spool in memory: keeps what was committed. */
    static final class MemorySubmission implements MailSubmission {

        final List<Envelope> envelopes = new ArrayList<>();
        final List<String> messages = new ArrayList<>();

        @Override
        public MessageWriter begin(Envelope envelope) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            return new MessageWriter() {
                @Override
                public void write(byte[] octets, int offset, int length) {
                    bytes.write(octets, offset, length);
                }

                @Override
                public SubmissionReceipt commit() {
                    envelopes.add(envelope);
                    messages.add(bytes.toString(StandardCharsets.UTF_8));
                    return new SubmissionReceipt("18F0A1B2C3D00042", Instant.now(), bytes.size());
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static final Route ROUTE = new Route("smarthost", Route.Kind.RELAY, "127.0.0.2", List.of(587),
            java.util.Set.of("*"), false, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5));

    /** A transport that accepts everything and counts the deliveries. */
    static final class AcceptingTransport implements MailTransport {

        final List<Envelope> delivered = new ArrayList<>();

        @Override
        public DeliveryResult deliver(Envelope envelope, MessageSource message, Route route) {
            delivered.add(envelope);
            return new DeliveryResult(route.name(), envelope.recipients().stream()
                    .map(r -> new RecipientOutcome(r.address(), DeliveryStatus.ACCEPTED, 250, "2.0.0", "Ok", "127.0.0.2", 587,
                            Optional.empty())).toList(), List.of());
        }

        @Override
        public List<Route> routes() {
            return List.of(ROUTE);
        }

        @Override
        public Optional<Route> route(String name) {
            return Optional.of(ROUTE).filter(r -> r.name().equals(name));
        }

        @Override
        public Route routeFor(MailAddress recipient) {
            return ROUTE;
        }
    }

    private static SendCommand command() {
        SendCommand send = new SendCommand();
        send.from = "alice@example.org";
        send.to = List.of("bob@example.org", "carol@localhost");
        send.subject = "Through the spool";
        send.body = "hello";
        return send;
    }

    @Test
    void submitsToTheSpoolAndPrintsTheQueueId() {
        SendCommand send = command();
        MemorySubmission spool = new MemorySubmission();
        AcceptingTransport transport = new AcceptingTransport();
        send.submission = spool;
        send.transport = transport;

        String output = QueueCommandsTest.run(send);

        assertThat(QueueCommandsTest.line(output, "18F0A1B2C3D00042")).contains("bob@example.org, carol@localhost");
        assertThat(output).contains("mailslot:queue 18F0A1B2C3D00042");
        assertThat(spool.envelopes).singleElement().satisfies(envelope -> {
            assertThat(envelope.reversePath()).contains(MailAddress.parse("alice@example.org"));
            assertThat(envelope.recipients()).extracting(r -> r.address().toString()).containsExactly("bob@example.org", "carol@localhost");
        });
        assertThat(spool.messages.get(0)).contains("Subject: Through the spool\r\n").endsWith("\r\n\r\nhello\r\n");
        assertThat(transport.delivered).isEmpty();
    }

    @Test
    void deliversDirectlyOnlyWhenAsked() {
        SendCommand send = command();
        MemorySubmission spool = new MemorySubmission();
        AcceptingTransport transport = new AcceptingTransport();
        send.submission = spool;
        send.transport = transport;
        send.pipeline = pipeline(envelope -> List.of());
        send.direct = true;

        String output = QueueCommandsTest.run(send);

        assertThat(QueueCommandsTest.line(output, "bob@example.org")).contains("accepted").contains("250 2.0.0 Ok");
        assertThat(transport.delivered).hasSize(1);
        assertThat(spool.envelopes).isEmpty();
    }

    @Test
    void directIsRefusedWhileAPipelineStageMustRunAndSaysWhich() {
        SendCommand send = command();
        AcceptingTransport transport = new AcceptingTransport();
        List<Envelope> asked = new ArrayList<>();
        send.transport = transport;
        send.direct = true;
        send.pipeline = pipeline(envelope -> {
            asked.add(envelope);
            return List.of(new RequiredStage("crypto-policy", "the crypto policy encrypts mail to bob@example.org"
                    + " (encrypt=required)"));
        });

        assertThatThrownBy(send::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--direct would skip the outbound pipeline, but crypto-policy must run: the crypto policy"
                        + " encrypts mail to bob@example.org (encrypt=required). Nothing was sent; without --direct the"
                        + " spool runs the pipeline.");
        assertThat(asked).singleElement().satisfies(envelope -> assertThat(envelope.recipients())
                .extracting(r -> r.address().toString()).containsExactly("bob@example.org", "carol@localhost"));

        send.pipeline = null;
        assertThatThrownBy(send::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without mailslot-spool (no OutboundPipeline service) nothing tells whether a stage"
                        + " must run first. Nothing was sent.");
        assertThat(transport.delivered).isEmpty();
    }

    @Test
    void withoutASpoolItSaysSo() {
        SendCommand send = command();
        send.transport = new AcceptingTransport();

        assertThatThrownBy(send::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is mailslot-spool started?");

        SendCommand relayed = command();
        relayed.submission = new MemorySubmission();
        relayed.relay = "smarthost";
        assertThatThrownBy(relayed::execute).hasMessage("--relay needs --direct; the spool routes each recipient by itself");
    }

    /** The spool's pipeline as far as the command asks it: which stages a message needs. */
    private static OutboundPipeline pipeline(Function<Envelope, List<RequiredStage>> required) {
        return new OutboundPipeline() {
            @Override
            public List<RequiredStage> requiredFor(Envelope envelope) {
                return required.apply(envelope);
            }

            @Override
            public void arrived(WaitReason reason) {
            }
        };
    }
}
