package org.mailslot.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.tls.internal.IdentityLoadingTest.servedBy;
import static org.mailslot.tls.internal.TestSupport.config;
import static org.mailslot.tls.internal.TestSupport.handshake;
import static org.mailslot.tls.internal.TestSupport.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.api.tls.TlsUnavailableException;
import org.mailslot.tls.internal.TestSupport.EchoServer;
import org.mailslot.tls.internal.TestSupport.RecordingLog;

class SelfSignedDefaultTest {

    private static final String WARNING = "TLS is using a generated self-signed certificate";

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    @Test
    void generatedOnceReusedAndWarnedOnce() throws Exception {
        Path generated = dir.resolve("tls");
        TlsServiceImpl first = service(log, "self.signed.directory", generated.toString());
        TlsIdentity identity;
        FileTime written;
        try {
            identity = first.status().identity().orElseThrow();
            assertThat(identity.selfSignedDefault()).isTrue();
            assertThat(identity.subject()).isEqualTo(identity.issuer());
            assertThat(identity.subjectAlternativeNames()).contains("localhost", "127.0.0.1");
            assertThat(identity.source()).isEqualTo("generated self-signed " + generated.resolve(IdentityResolver.SELF_SIGNED_CERTIFICATE));
            assertThat(first.status().lastError()).isEmpty();
            Path key = generated.resolve(IdentityResolver.SELF_SIGNED_KEY);
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            written = Files.getLastModifiedTime(key);

            first.checkForChanges();
            first.checkForChanges();
            assertThat(log.messages("WARN")).filteredOn(message -> message.startsWith(WARNING)).hasSize(1);
            assertThat(log.messages("INFO")).filteredOn(message -> message.startsWith("Generated a self-signed")).hasSize(1);
        } finally {
            first.deactivate();
        }

        RecordingLog restartLog = new RecordingLog();
        TlsServiceImpl second = service(restartLog, "self.signed.directory", generated.toString());
        try {
            assertThat(second.status().identity().orElseThrow().sha256Fingerprint()).isEqualTo(identity.sha256Fingerprint());
            assertThat(Files.getLastModifiedTime(generated.resolve(IdentityResolver.SELF_SIGNED_KEY))).isEqualTo(written);
            assertThat(restartLog.messages("INFO")).noneMatch(message -> message.startsWith("Generated a self-signed"));
            assertThat(restartLog.messages("WARN")).filteredOn(message -> message.startsWith(WARNING)).hasSize(1);
            assertThat(servedBy(second)).isEqualTo(identity.sha256Fingerprint());
        } finally {
            second.deactivate();
        }
    }

    @Test
    void generatedUnderKarafEtcByDefault() {
        Path etc = dir.resolve("etc");
        TlsServiceImpl service = new TlsServiceImpl(config(), log.logger(), Clock.systemUTC(), etc.toString());
        try {
            assertThat(etc.resolve("mailslot/tls").resolve(IdentityResolver.SELF_SIGNED_CERTIFICATE)).exists();
            assertThat(service.status().serverReady()).isTrue();
        } finally {
            service.deactivate();
        }
    }

    @Test
    void aClientThatTrustsTheGeneratedCertificateVerifiesLocalhost() throws Exception {
        Path generated = dir.resolve("tls");
        TlsServiceImpl server = service(log, "self.signed.directory", generated.toString());
        TlsServiceImpl client = service(log, "self.signed.enabled", false,
                "trust.pem", generated.resolve(IdentityResolver.SELF_SIGNED_CERTIFICATE).toString());
        try (EchoServer echo = new EchoServer(server);
                SSLSocket socket = client.createClientSocket(echo.connectPlain(), "localhost", echo.port())) {
            assertThat(IdentityInfo.fingerprint(handshake(socket)))
                    .isEqualTo(server.status().identity().orElseThrow().sha256Fingerprint());
        } finally {
            server.deactivate();
            client.deactivate();
        }
    }

    @Test
    void anExpiredGeneratedCertificateIsReplaced() throws Exception {
        Path generated = dir.resolve("tls");
        TlsServiceImpl first = service(log, "self.signed.directory", generated.toString());
        String old = first.status().identity().orElseThrow().sha256Fingerprint();
        first.deactivate();

        Clock later = Clock.fixed(Instant.now().plus(SelfSignedIdentity.VALIDITY).plus(Duration.ofDays(1)), ZoneOffset.UTC);
        TlsServiceImpl second = new TlsServiceImpl(config("self.signed.directory", generated.toString()), log.logger(), later, null);
        try {
            TlsIdentity identity = second.status().identity().orElseThrow();
            assertThat(identity.sha256Fingerprint()).isNotEqualTo(old);
            assertThat(identity.notAfter()).isAfter(later.instant());
            assertThat(log.messages("WARN")).anyMatch(message -> message.startsWith("Replacing the generated self-signed TLS"
                    + " certificate in " + generated + ": ") && message.contains(" expired on "));
        } finally {
            second.deactivate();
        }
    }

    @Test
    void withoutADirectoryOrWhenTurnedOffTheServerRoleIsUnavailable() throws Exception {
        TlsServiceImpl noDirectory = service(log);
        TlsServiceImpl turnedOff = service(log, "self.signed.enabled", false, "self.signed.directory", dir.toString());
        try {
            assertThatThrownBy(noDirectory::serverEngine)
                    .isInstanceOf(TlsUnavailableException.class)
                    .hasMessageContaining("no directory for a generated one: set self.signed.directory (karaf.etc is not set)");
            assertThatThrownBy(turnedOff::serverEngine)
                    .isInstanceOf(TlsUnavailableException.class)
                    .hasMessageContaining("no server identity: set identity.pkcs12, or identity.key and identity.certificates"
                            + " (self.signed.enabled is false)");
            assertThat(dir.resolve(IdentityResolver.SELF_SIGNED_KEY)).doesNotExist();
            assertThat(log.messages("WARN")).noneMatch(message -> message.startsWith(WARNING));
        } finally {
            noDirectory.deactivate();
            turnedOff.deactivate();
        }
    }
}
