package org.mailslot.spool.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;

/** Shared test helpers: messages, a settable clock, a fake transport, an I/O layer that counts and fills. */
final class Fixtures {

    static final Route SMARTHOST = new Route("smarthost", Route.Kind.RELAY, "127.0.0.2", List.of(587), Set.of("example.org"),
            false, Duration.ofSeconds(5), Duration.ofSeconds(5));
    static final Route MX = new Route(Route.MX_NAME, Route.Kind.MX, "", List.of(25), Set.of(Route.ANY_DOMAIN),
            false, Duration.ofSeconds(5), Duration.ofSeconds(5));

    private Fixtures() {
    }

    static byte[] message(String subject, String body) {
        return ("From: <alice@localhost>\r\nTo: <bob@example.org>\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@localhost>\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static SubmissionReceipt submit(MailSubmission spool, Envelope envelope, byte[] message) throws SubmissionException {
        return spool.submit(envelope, new ByteArrayInputStream(message));
    }

    static Envelope envelope(String from, String... to) {
        Envelope.Builder builder = Envelope.builder().from(from);
        for (String recipient : to) {
            builder.to(recipient);
        }
        return builder.build();
    }

    static byte[] read(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }

    static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }


    /** What a delivery through the fake transport looked like. */
    record Delivery(Envelope envelope, Route route, byte[] message) {
        String text() {
            return new String(message, StandardCharsets.UTF_8);
        }
    }

    /**
     * A transport answering as the test says: routes example.org to the smarthost and everything
     * else to MX, and records each delivery with the octets it was given.
     */
    static final class FakeTransport implements MailTransport {

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        volatile BiFunction<MailAddress, Route, RecipientOutcome> answer = (rcpt, route) -> accepted(rcpt);

        @Override
        public DeliveryResult deliver(Envelope envelope, MessageSource message, Route route) {
            byte[] octets;
            try {
                octets = read(message);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            deliveries.add(new Delivery(envelope, route, octets));
            List<RecipientOutcome> outcomes = new ArrayList<>();
            envelope.recipients().forEach(r -> outcomes.add(answer.apply(r.address(), route)));
            return new DeliveryResult(route.name(), outcomes, List.of());
        }

        @Override
        public List<Route> routes() {
            return List.of(SMARTHOST, MX);
        }

        @Override
        public Optional<Route> route(String name) {
            return routes().stream().filter(r -> r.name().equals(name)).findFirst();
        }

        /** Each recipient routed, as often as it was. */
        final List<MailAddress> routed = new CopyOnWriteArrayList<>();

        @Override
        public Route routeFor(MailAddress recipient) {
            routed.add(recipient);
            return SMARTHOST.serves(recipient.domain()) ? SMARTHOST : MX;
        }

        static RecipientOutcome accepted(MailAddress rcpt) {
            return new RecipientOutcome(rcpt, DeliveryStatus.ACCEPTED, 250, "2.0.0", "Ok: queued", "127.0.0.2", 587, Optional.empty());
        }

        static RecipientOutcome temporary(MailAddress rcpt) {
            return new RecipientOutcome(rcpt, DeliveryStatus.TEMPORARY_FAILURE, 451, "4.3.0", "Try again later", "127.0.0.2", 587,
                    Optional.empty());
        }

        /** What the transport says when no host or port of the route answered. */
        static RecipientOutcome unanswered(MailAddress rcpt) {
            return new RecipientOutcome(rcpt, DeliveryStatus.TEMPORARY_FAILURE, 0, "4.4.1",
                    "no usable port on 127.0.0.2: 587 refused the connection (Connection refused)", "127.0.0.2", 0,
                    Optional.empty(), FailureCause.NO_USABLE_SERVER);
        }

        static RecipientOutcome permanent(MailAddress rcpt) {
            return new RecipientOutcome(rcpt, DeliveryStatus.PERMANENT_FAILURE, 550, "5.1.1", "User unknown", "127.0.0.2", 587,
                    Optional.empty());
        }
    }

    /** The real file system, with the directory and file fsyncs counted (a disk that fills up: FullDiskTest). */
    static final class CountingIo implements SpoolIo {

        final AtomicLong directorySyncs = new AtomicLong();
        final AtomicLong fileSyncs = new AtomicLong();

        @Override
        public SpoolFile create(Path file) throws IOException {
            SpoolFile real = SpoolIo.SYSTEM.create(file);
            return new SpoolFile() {
                @Override
                public void write(ByteBuffer buffer) throws IOException {
                    real.write(buffer);
                }

                @Override
                public void write(ByteBuffer buffer, long position) throws IOException {
                    real.write(buffer, position);
                }

                @Override
                public void force() throws IOException {
                    fileSyncs.incrementAndGet();
                    real.force();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            directorySyncs.incrementAndGet();
            SpoolIo.SYSTEM.syncDirectory(directory);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            SpoolIo.SYSTEM.move(from, to);
        }
    }
}
