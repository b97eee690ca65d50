package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.ProcessingResult;

/** The dkim-sign stage: which mail it signs, and what it does when a key cannot be used. */
class SigningProcessorTest {

    @TempDir
    Path keys;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T04:00:00Z"), ZoneOffset.UTC);
    private final Envelope envelope = Envelope.builder().from("alice@example.org").authenticatedSender(
            org.mailslot.api.mail.MailAddress.parse("alice@example.org")).to("bob@example.net").build();

    static SigningConfig config(String missingKey, String canonicalization) {
        return new SigningConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SigningConfig.class;
            }

            @Override
            public String missing_key() {
                return missingKey;
            }

            @Override
            public String canonicalization() {
                return canonicalization;
            }
        };
    }

    static DkimKeyConfig key(String domain, String selector, String file) {
        return new DkimKeyConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DkimKeyConfig.class;
            }

            @Override
            public String domain() {
                return domain;
            }

            @Override
            public String selector() {
                return selector;
            }

            @Override
            public String key() {
                return file;
            }

            @Override
            public String algorithm() {
                return "";
            }
        };
    }

    private ConfiguredKey generated(String domain, String selector, DkimAlgorithm algorithm, MapKeyLookup dns)
            throws Exception {
        KeyFile key = KeyFile.generate(algorithm);
        key.write(keys.resolve(ConfiguredKey.fileName(domain, selector)));
        dns.with(selector + "._domainkey." + domain, key.dnsRecord());
        return new ConfiguredKey(key(domain, selector, ""), keys);
    }

    private static byte[] read(MessageSource source) throws Exception {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void mailFromAConfiguredDomainIsDualSignedAndOtherMailPassesUntouched() throws Exception {
        MapKeyLookup dns = new MapKeyLookup();
        DkimSigningProcessor processor = new DkimSigningProcessor(config("wait", "relaxed/relaxed"), clock);
        processor.bindKey(generated("example.org", "rsa2026", DkimAlgorithm.RSA_SHA256, dns));
        processor.bindKey(generated("example.org", "ed2026", DkimAlgorithm.ED25519_SHA256, dns));

        ProcessingResult result = processor.process(envelope, MessageSource.of(Messages.simple("Alice@Example.ORG")));
        byte[] signed = read(result.message().orElseThrow());
        assertThat(new Verifier(dns, clock).verify(MessageSource.of(signed)).signatures())
                .extracting(DkimSignatureResult::result, DkimSignatureResult::selector)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DkimResult.PASS, "ed2026"),
                        org.assertj.core.groups.Tuple.tuple(DkimResult.PASS, "rsa2026"));

        assertThat(processor.process(envelope, MessageSource.of(Messages.simple("carol@other.example"))))
                .isSameAs(ProcessingResult.proceed());
    }

    @Test
    void mailNobodyVouchedForIsNeverSignedEvenFromAConfiguredDomain() throws Exception {
        MapKeyLookup dns = new MapKeyLookup();
        DkimSigningProcessor processor = new DkimSigningProcessor(config("wait", "relaxed/relaxed"), clock);
        processor.bindKey(generated("example.org", "ed2026", DkimAlgorithm.ED25519_SHA256, dns));
        Envelope fromOutside = Envelope.builder().from("alice@example.org").to("bob@example.org").build();

        assertThat(processor.process(fromOutside, MessageSource.of(Messages.simple("alice@example.org"))))
                .isSameAs(ProcessingResult.proceed());
    }

    @Test
    void aMissingKeyHoldsTheDomainsMailWithTheReasonByDefault() throws Exception {
        DkimSigningProcessor processor = new DkimSigningProcessor(config("wait", "relaxed/relaxed"), clock);
        processor.bindKey(new ConfiguredKey(key("example.org", "s1", ""), keys));

        ProcessingResult result = processor.process(envelope, MessageSource.of(Messages.simple("alice@example.org")));

        assertThat(result.isDeferred()).isTrue();
        assertThat(result.reason()).hasValue("DKIM key s1._domainkey.example.org cannot be used: key file "
                + keys.resolve("example.org-s1.pem") + " does not exist");
    }

    @Test
    void anUnreadableKeyIsSentUnsignedWhenConfiguredSo() throws Exception {
        Files.writeString(keys.resolve("example.org-s1.pem"), "not a key");
        DkimSigningProcessor processor = new DkimSigningProcessor(config("unsigned", "relaxed/relaxed"), clock);
        processor.bindKey(new ConfiguredKey(key("example.org", "s1", ""), keys));

        assertThat(processor.process(envelope, MessageSource.of(Messages.simple("alice@example.org"))))
                .isSameAs(ProcessingResult.proceed());
    }

    @Test
    void aKeyFixedOnDiskIsUsedAtOnce() throws Exception {
        MapKeyLookup dns = new MapKeyLookup();
        DkimSigningProcessor processor = new DkimSigningProcessor(config("wait", "relaxed/relaxed"), clock);
        processor.bindKey(new ConfiguredKey(key("example.org", "s1", ""), keys));
        assertThat(processor.process(envelope, MessageSource.of(Messages.simple("alice@example.org"))).isDeferred())
                .isTrue();

        generated("example.org", "s1", DkimAlgorithm.ED25519_SHA256, dns);
        ProcessingResult result = processor.process(envelope, MessageSource.of(Messages.simple("alice@example.org")));
        assertThat(new Verifier(dns, clock).verify(result.message().orElseThrow()).passedFor("example.org")).isTrue();
    }

    @Test
    void badSettingsNameTheProperty() throws Exception {
        assertThatThrownBy(() -> DkimSigningProcessor.settings(config("later", "relaxed/relaxed"), clock))
                .hasMessage("missing.key must be wait or unsigned, not 'later'");
        assertThatThrownBy(() -> DkimSigningProcessor.settings(config("wait", "relaxed"), clock))
                .hasMessageStartingWith("canonicalization must be header/body");
        assertThatThrownBy(() -> new ConfiguredKey(key("example..org", "s1", ""), keys))
                .hasMessageStartingWith("domain must be a DNS name");
        assertThatThrownBy(() -> new ConfiguredKey(key("example.org", "s 1", ""), keys))
                .hasMessageStartingWith("selector must be a DNS name");
        DkimSigningProcessor broken = new DkimSigningProcessor(config("sometimes", "relaxed/relaxed"), clock);
        assertThat(broken.process(envelope, MessageSource.of(Messages.simple("alice@example.org"))).reason())
                .hasValue("DKIM signing org.mailslot.dkim.signing is invalid: missing.key must be wait or unsigned,"
                        + " not 'sometimes'");
    }
}
