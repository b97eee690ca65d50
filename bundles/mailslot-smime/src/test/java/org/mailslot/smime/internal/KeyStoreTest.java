package org.mailslot.smime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.pipeline.RequiredStage;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.support.keys.KeysArrived;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

class KeyStoreTest {

    private static final MailAddress NEWCOMER = MailAddress.parse("newcomer@example.org");

    @TempDir
    Path etc;

    private SmimeComponent component(TestConfig config) throws Exception {
        return new SmimeComponent(config, etc.toString(), Clock.systemUTC(), LoggerFactory.getLogger("test"));
    }

    @Test
    void withoutAConfiguredPassphraseOneIsGeneratedOnceOwnerOnlyAndReused() throws Exception {
        component(new TestConfig());
        Path file = etc.resolve("mailslot/keys/.passphrase");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String first = Files.readString(file);
        assertThat(first).hasSizeGreaterThanOrEqualTo(40);
        component(new TestConfig());
        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(etc.resolve("mailslot/keys/smime/private")).isDirectory();
    }

    @Test
    void anExistingPassphraseFileIsReadNotReplaced() throws Exception {
        Path file = Fixture.write(etc.resolve("mailslot/keys/.passphrase"), "written-by-openpgp\n");
        SmimeComponent first = component(new TestConfig());
        KeyInfo generated = first.generate(NEWCOMER);
        assertThat(Files.readString(file)).isEqualTo("written-by-openpgp\n");
        // The same passphrase given in configuration opens the same key.
        SmimeComponent configured = component(new TestConfig().passphrase("written-by-openpgp"));
        assertThat(configured.canSign(NEWCOMER)).isTrue();
        configured.protect(NEWCOMER, List.of(NEWCOMER), Protection.SIGN_AND_ENCRYPT, MessageSource.of("Subject: x\r\n\r\nx\r\n".getBytes()));
        assertThat(configured.find(generated.id())).hasSize(1);
    }

    @Test
    void generatedIdentitiesAreListedFoundExportedUsableAndRemovable() throws Exception {
        SmimeComponent keys = component(new TestConfig().passphrase("pp"));
        KeyInfo ec = keys.generate(NEWCOMER);
        assertThat(ec.technology()).isEqualTo(CryptoTechnology.SMIME);
        assertThat(ec.algorithm()).isEqualTo("EC P-256");
        assertThat(ec.addresses()).containsExactly(NEWCOMER);
        assertThat(ec.secret()).isTrue();
        assertThat(ec.canSign()).isTrue();
        assertThat(ec.canEncrypt()).isTrue();
        assertThat(ec.expires()).isPresent();
        assertThat(ec.id()).matches("[0-9a-f]{64}");

        assertThat(keys.list()).extracting(KeyInfo::id).containsExactly(ec.id());
        assertThat(keys.find("NEWCOMER@example.org")).extracting(KeyInfo::id).containsExactly(ec.id());
        assertThat(keys.find(ec.id().substring(0, 8))).hasSize(1);
        assertThat(keys.find(ec.id().substring(0, 7))).isEmpty();
        String pem = keys.exportPublic(ec.id()).orElseThrow();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE");
        assertThat(keys.recognizes(pem.getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(keys.recognizes("hello".getBytes(StandardCharsets.US_ASCII))).isFalse();

        // Sign and encrypt to oneself; a fresh component (re-read from disk) opens it.
        byte[] sent = Fixture.bytes(keys.protect(NEWCOMER, List.of(NEWCOMER), Protection.SIGN_AND_ENCRYPT,
                MessageSource.of("From: newcomer@example.org\r\nSubject: self\r\n\r\nnote to self\r\n".getBytes(StandardCharsets.US_ASCII))));
        var opened = component(new TestConfig().passphrase("pp")).open(MessageSource.of(sent));
        assertThat(opened.verification().status()).isEqualTo(VerificationStatus.VALID);
        assertThat(Fixture.text(opened)).endsWith("note to self\r\n");

        assertThat(keys.remove(ec.id())).isTrue();
        assertThat(keys.remove(ec.id())).isFalse();
        assertThat(keys.list()).isEmpty();
        assertThat(component(new TestConfig().passphrase("pp")).list()).isEmpty();
    }

    @Test
    void rsaIdentitiesWhenConfigured() throws Exception {
        KeyInfo rsa = component(new TestConfig().passphrase("pp").generateKey("rsa-3072")).generate(NEWCOMER);
        assertThat(rsa.algorithm()).isEqualTo("RSA-3072");
    }

    @Test
    void aChangedPassphraseLocksTheStoredKeys() throws Exception {
        component(new TestConfig().passphrase("old")).generate(NEWCOMER);
        SmimeComponent changed = component(new TestConfig().passphrase("new"));
        assertThatThrownBy(() -> changed.protect(NEWCOMER, List.of(), Protection.SIGN, MessageSource.of("Subject: x\r\n\r\nx\r\n".getBytes())))
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.LOCKED);
        assertThat(Files.readString(etc.resolve("mailslot/keys/smime/private").resolve(changed.list().get(0).id() + ".pem")))
                .contains("BEGIN ENCRYPTED PRIVATE KEY");
    }

    @Test
    void pkcs12ImportsTheIdentityAndItsChainAndTrustsNothingUnasked() throws Exception {
        Fixture fixture = Fixture.get();
        SmimeComponent keys = component(new TestConfig().passphrase("pp"));
        List<KeyInfo> imported = keys.importKeys(fixture.alice.pkcs12(Fixture.P12_PASSWORD), Fixture.P12_PASSWORD);
        assertThat(imported).hasSize(2);
        assertThat(imported.get(0).secret()).isTrue();
        assertThat(imported.get(0).addresses()).containsExactly(Fixture.ALICE);
        assertThat(imported).noneMatch(KeyInfo::trustAnchor);
        // The CA came inside the PKCS#12 only: no anchor, so Alice's own signature is not trusted yet.
        byte[] signed = Fixture.bytes(keys.protect(Fixture.ALICE, List.of(), Protection.SIGN,
                MessageSource.of(Fixture.message("alice@example.org", "bob@example.net", "x\r\n"))));
        assertThat(keys.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.UNKNOWN_KEY);
        // Importing the CA's certificate on its own is no decision to trust it either.
        assertThat(keys.importKeys(fixture.ca.certificatePem().getBytes(StandardCharsets.US_ASCII), null))
                .singleElement().satisfies(ca -> assertThat(ca.trustAnchor()).isFalse());
        assertThat(keys.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.UNKNOWN_KEY);
        assertThat(keys.importKeys(fixture.ca.certificatePem().getBytes(StandardCharsets.US_ASCII), null, true))
                .singleElement().satisfies(ca -> assertThat(ca.trustAnchor()).isTrue());
        assertThat(keys.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.VALID);
        // ... and it survives a restart, and a later import without trust.
        SmimeComponent restarted = component(new TestConfig().passphrase("pp"));
        restarted.importKeys(fixture.ca.certificatePem().getBytes(StandardCharsets.US_ASCII), null);
        assertThat(restarted.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void aSelfSignedCertificateImportedWithoutTrustCanBeEncryptedToButDoesNotVouchForSignatures() throws Exception {
        SmimeComponent stranger = new SmimeComponent(new TestConfig().passphrase("s"), etc.resolve("stranger").toString(),
                Clock.systemUTC(), LoggerFactory.getLogger("test"));
        KeyInfo generated = stranger.generate(NEWCOMER);
        byte[] certificate = stranger.exportPublic(generated.id()).orElseThrow().getBytes(StandardCharsets.US_ASCII);
        byte[] signed = Fixture.bytes(stranger.protect(NEWCOMER, List.of(), Protection.SIGN,
                MessageSource.of("From: newcomer@example.org\r\nSubject: hi\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII))));
        SmimeComponent keys = component(new TestConfig().passphrase("pp"));

        KeyInfo imported = keys.importKeys(certificate, null).get(0);

        assertThat(imported.trustAnchor()).isFalse();
        assertThat(imported.canEncrypt()).isTrue();
        assertThat(keys.missingEncryptionKeys(List.of(NEWCOMER))).isEmpty();
        var verification = keys.open(MessageSource.of(signed)).verification();
        assertThat(verification.status()).as(verification.detail()).isEqualTo(VerificationStatus.UNKNOWN_KEY);
        assertThat(keys.importKeys(certificate, null, true).get(0).trustAnchor()).isTrue();
        assertThat(keys.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void trustIsRefusedForACertificateThatCannotBeAnAnchor() throws Exception {
        Fixture fixture = Fixture.get();
        SmimeComponent keys = component(new TestConfig().passphrase("pp"));

        assertThatThrownBy(() -> keys.importKeys(fixture.bob.certificatePem().getBytes(StandardCharsets.US_ASCII), null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CA or self-signed certificate");
        assertThat(keys.list()).isEmpty();
    }

    @Test
    void derCertificatesImportLikePem() throws Exception {
        Fixture fixture = Fixture.get();
        SmimeComponent keys = component(new TestConfig().passphrase("pp"));
        byte[] der = fixture.bob.certificate().getEncoded();

        assertThat(keys.recognizes(der)).isTrue();
        KeyInfo bob = keys.importKeys(der, null).get(0);

        assertThat(bob.addresses()).containsExactly(Fixture.BOB);
        assertThat(bob.id()).isEqualTo(Certificates.id(fixture.bob.certificate()));
        assertThat(keys.exportPublic(bob.id()).orElseThrow()).isEqualTo(fixture.bob.certificatePem());
        assertThat(keys.missingEncryptionKeys(List.of(Fixture.BOB))).isEmpty();
        assertThat(component(new TestConfig().passphrase("pp")).find(Fixture.BOB.toString())).hasSize(1);
    }

    @Test
    void aConfiguredPemBundleIsTrustedToo() throws Exception {
        Fixture fixture = Fixture.get();
        Path bundle = Fixture.write(etc.resolve("anchors.pem"), fixture.ca.certificatePem());
        SmimeComponent keys = component(new TestConfig().passphrase("pp").trustPem(bundle.toString()));
        keys.importKeys(fixture.alice.pkcs12(Fixture.P12_PASSWORD), Fixture.P12_PASSWORD);
        byte[] signed = Fixture.bytes(keys.protect(Fixture.ALICE, List.of(), Protection.SIGN,
                MessageSource.of(Fixture.message("alice@example.org", "bob@example.net", "x\r\n"))));
        assertThat(keys.open(MessageSource.of(signed)).verification().status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void badMaterialIsRefusedWithAReasonAndStoresNothing() throws Exception {
        Fixture fixture = Fixture.get();
        SmimeComponent keys = component(new TestConfig().passphrase("pp"));
        assertThatThrownBy(() -> keys.importKeys(fixture.alice.pkcs12(Fixture.P12_PASSWORD), "wrong".toCharArray()))
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.LOCKED);
        assertThatThrownBy(() -> keys.importKeys("not a certificate".getBytes(StandardCharsets.US_ASCII), null))
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.MALFORMED);
        assertThatThrownBy(() -> keys.importKeys(new byte[0], null)).isInstanceOf(CryptoException.class);
        assertThat(keys.list()).isEmpty();
    }

    @Test
    void badConfigurationIsRefusedClearly() {
        assertThatThrownBy(() -> component(new TestConfig().generateKey("dsa")))
                .hasMessageContaining("smime.generate.key").hasMessageContaining("ec-p256");
        assertThatThrownBy(() -> component(new TestConfig().crls(etc.resolve("missing.crl").toString())))
                .hasMessageContaining("missing.crl");
        assertThatThrownBy(() -> new SmimeComponent(new TestConfig(), null, Clock.systemUTC(), NOPLogger.NOP_LOGGER))
                .hasMessageContaining("karaf.etc");
    }

    @Test
    void storedCertificatesWakeTheMailHeldForThemOnceTheyAreFound() throws Exception {
        Fixture fixture = Fixture.get();
        SmimeComponent keys = component(new TestConfig().passphrase("pp"));
        List<String> told = new ArrayList<>();
        OutboundPipeline spool = new OutboundPipeline() {
            @Override
            public List<RequiredStage> requiredFor(Envelope envelope) {
                return List.of();
            }

            @Override
            public void arrived(WaitReason reason) {
                told.add(reason + ", certificates missing then: " + keys.missingEncryptionKeys(List.of(Fixture.BOB, NEWCOMER)));
            }
        };
        keys.keysStored = () -> KeysArrived.tell(spool);

        assertThatThrownBy(() -> keys.importKeys("not a certificate".getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(CryptoException.class);
        assertThat(told).as("nothing stored, nothing to wake").isEmpty();

        keys.importKeys(fixture.bob.certificatePem().getBytes(StandardCharsets.US_ASCII), null);
        keys.generate(NEWCOMER);

        assertThat(told).containsExactly(
                "CRYPTO_KEY_OR_BUNDLE_MISSING, certificates missing then: [newcomer@example.org]",
                "CRYPTO_KEY_OR_BUNDLE_MISSING, certificates missing then: []");
    }
}
