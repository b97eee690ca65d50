package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;

class EnvelopeCodecTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void requireTlsSurvivesTheSpool() throws IOException {
        Envelope envelope = Envelope.builder().from("alice@example.org").to("bob@example.net").requireTls(true).build();

        EnvelopeCodec.Head head = EnvelopeCodec.decode(new ByteArrayInputStream(EnvelopeCodec.encode("id1", RECEIVED,
                envelope)));

        assertThat(head.envelope()).isEqualTo(envelope);
        assertThat(head.envelope().requireTls()).isTrue();
    }

    @Test
    void aHeadWrittenBeforeRequireTlsReadsWithoutIt() throws IOException {
        String properties = "id=id1\nreceived=2026-12-07T12\\:00\\:00Z\nfrom=alice@example.org\nbody=7BIT\n"
                + "rcpt.count=1\nrcpt.0.addr=bob@example.net\nrcpt.0.notify=\n";
        byte[] file = (EnvelopeCodec.MAGIC + " " + properties.length() + "\n" + properties + "Subject: x\r\n\r\nhi\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        EnvelopeCodec.Head head = EnvelopeCodec.decode(new ByteArrayInputStream(file));

        assertThat(head.envelope()).isEqualTo(Envelope.builder().from("alice@example.org").to("bob@example.net").build());
        assertThat(head.envelope().requireTls()).isFalse();
        assertThat(head.bodyOffset()).isEqualTo(file.length - "Subject: x\r\n\r\nhi\r\n".length());
    }
}
