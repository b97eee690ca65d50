package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.ProcessingResult;

/** The arc-seal stage: off by default; once on, which mail it seals and how it holds what it cannot seal. */
class ArcSealingProcessorTest {

    @TempDir
    Path keys;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
    private final MapKeyLookup dns = new MapKeyLookup();
    private final MessageSource message = MessageSource.of(ArcSealerTest.FORWARDED.getBytes(StandardCharsets.UTF_8));
    private SenderAuthenticator bound;
    private final Envelope forwarded = Envelope.builder().from("alice@example.com").to("list@example.net").build();

    static ArcSealingConfig config(String domain, String selector) {
        return new ArcSealingConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ArcSealingConfig.class;
            }

            @Override
            public String domain() {
                return domain;
            }

            @Override
            public String selector() {
                return selector;
            }
        };
    }

    /** What Config Admin gives a component without a configuration: the defaults of the interface. */
    static ArcSealingConfig defaults() {
        return config(defaultOf("domain"), defaultOf("selector"));
    }

    private static String defaultOf(String attribute) {
        try {
            return (String) ArcSealingConfig.class.getMethod(attribute).getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    static SenderAuthenticator authservId(String id) {
        return new SenderAuthenticator() {
            @Override
            public SenderAuthentication authenticate(Optional<InetAddress> client, String helo, String mailFrom,
                    MessageSource message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String authservId() {
                return id;
            }

            @Override
            public byte[] withoutClaimedResults(byte[] message) {
                return message;
            }
        };
    }

    private ArcSealingProcessor processor(ArcSealingConfig config) throws Exception {
        ArcSealingProcessor processor = new ArcSealingProcessor(config, () -> dns, () -> Set.of("localhost", "relay.example"),
                clock);
        KeyFile key = KeyFile.generate(DkimAlgorithm.RSA_SHA256);
        key.write(keys.resolve(ConfiguredKey.fileName("relay.example", "arc")));
        dns.records.put("arc._domainkey.relay.example", key.dnsRecord());
        processor.bindKey(new ConfiguredKey(SigningProcessorTest.key("relay.example", "arc", ""), keys));
        bound = authservId("relay.example");
        processor.bindAuthenticator(bound);
        return processor;
    }

    private static String text(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void offByDefaultNothingIsAdded() throws Exception {
        ProcessingResult result = processor(defaults()).process(forwarded, message);
        assertThat(result).isSameAs(ProcessingResult.proceed());
    }

    @Test
    void forwardedMailIsSealed() throws Exception {
        ProcessingResult result = processor(config("relay.example", "arc")).process(forwarded, message);
        String sealed = text(result.message().orElseThrow());
        assertThat(sealed).startsWith("ARC-Seal: i=1; cv=none; a=rsa-sha256; d=relay.example; s=arc;")
                .endsWith(ArcSealerTest.FORWARDED);
        assertThat(new ArcChainVerifier(dns).verify(MessageSource.of(sealed.getBytes(StandardCharsets.UTF_8))).result())
                .isEqualTo(org.mailslot.api.dkim.ArcResult.PASS);
    }

    @Test
    void submittedAndLocalMailIsNotSealed() throws Exception {
        ArcSealingProcessor processor = processor(config("relay.example", "arc"));
        Envelope submitted = forwarded.toBuilder().authenticatedSender(MailAddress.parse("alice@example.com")).build();
        assertThat(processor.process(submitted, message)).isSameAs(ProcessingResult.proceed());
        Envelope local = Envelope.builder().from("alice@example.com").to("bob@relay.example").to("root@LOCALHOST").build();
        assertThat(processor.process(local, message)).isSameAs(ProcessingResult.proceed());
    }

    @Test
    void localAndForwardedRecipientsGetTwoCopiesOnlyOneSealed() throws Exception {
        Envelope mixed = Envelope.builder().from("alice@example.com").to("bob@relay.example").to("list@example.net").build();
        ProcessingResult result = processor(config("relay.example", "arc")).process(mixed, message);
        assertThat(result.copies()).hasSize(2);
        assertThat(result.copies().get(0).envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("bob@relay.example");
        assertThat(text(result.copies().get(0).message())).isEqualTo(ArcSealerTest.FORWARDED);
        assertThat(result.copies().get(1).envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("list@example.net");
        assertThat(text(result.copies().get(1).message())).startsWith("ARC-Seal: i=1;");
    }

    @Test
    void mailWithoutOurResultsPassesUnsealed() throws Exception {
        MessageSource unchecked = MessageSource.of("From: a@example.com\r\nSubject: s\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(processor(config("relay.example", "arc")).process(forwarded, unchecked)).isSameAs(ProcessingResult.proceed());
    }

    @Test
    void whatCannotBeSealedIsHeldWithTheReason() throws Exception {
        ArcSealingProcessor processor = processor(config("relay.example", "nokey"));
        assertThat(processor.process(forwarded, message).reason().orElseThrow())
                .contains("ARC sealing key nokey._domainkey.relay.example is not configured");

        processor.configure(config("relay.example", "a b"));
        assertThat(processor.process(forwarded, message).reason().orElseThrow())
                .contains("ARC sealing org.mailslot.dkim.arc is invalid: selector must be a DNS name");

        KeyFile ed = KeyFile.generate(DkimAlgorithm.ED25519_SHA256);
        ed.write(keys.resolve(ConfiguredKey.fileName("relay.example", "ed")));
        processor.bindKey(new ConfiguredKey(SigningProcessorTest.key("relay.example", "ed", ""), keys));
        processor.configure(config("relay.example", "ed"));
        assertThat(processor.process(forwarded, message).reason().orElseThrow()).isEqualTo("ARC sealing key"
                + " ed._domainkey.relay.example is ed25519-sha256: ARC verifiers take rsa-sha256 only");

        processor.configure(config("relay.example", "arc"));
        processor.unbindAuthenticator(bound);
        ProcessingResult waiting = processor.process(forwarded, message);
        assertThat(waiting.isDeferred()).isTrue();
        assertThat(waiting.reason().orElseThrow()).contains("ARC sealing waits for the sender checks (mailslot-auth)");
    }
}
