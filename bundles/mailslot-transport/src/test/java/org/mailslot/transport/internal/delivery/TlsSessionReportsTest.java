package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tlsrpt.TlsPolicyType;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.tlsrpt.TlsSessionResult;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.transport.internal.delivery.mx.MxHost;
import org.mailslot.transport.internal.delivery.policy.DestinationPolicy;
import org.mailslot.transport.internal.delivery.policy.HostTls;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;

class TlsSessionReportsTest {

    private static final TlsDemand VERIFY = new TlsDemand(true, PeerVerification.FULL, Optional.empty(), true, "verify");
    private static final TlsDemand DANE = new TlsDemand(true, PeerVerification.NONE,
            Optional.of(chain -> "TLSA matched"), true, "dane");
    private static final MxHost HOST = new MxHost("mx.example.test", 10, List.of("127.0.0.2"));
    private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");

    private static Connector.ConnectFailure tlsFailed(Throwable cause) {
        SSLHandshakeException handshake = new SSLHandshakeException(String.valueOf(cause.getMessage()));
        handshake.initCause(cause);
        return new Connector.ConnectFailure(Attempt.Result.TLS_FAILED, "TLS failed", Optional.empty(), null, handshake);
    }

    private static Optional<TlsResultType> typeOf(Connector.ConnectFailure failure, TlsDemand demand) {
        return TlsSessionReports.of(failure, demand).map(TlsSessionReports.TlsFailure::type);
    }

    @Test
    void certificateFailuresGetTheirRfc8460Types() {
        assertThat(typeOf(tlsFailed(new CertificateExpiredException("NotAfter: ...")), VERIFY))
                .contains(TlsResultType.CERTIFICATE_EXPIRED);
        assertThat(typeOf(tlsFailed(new CertificateException("PKIX path building failed",
                new CertPathBuilderException("unable to find valid certification path to requested target"))), VERIFY))
                .contains(TlsResultType.CERTIFICATE_NOT_TRUSTED);
        assertThat(typeOf(tlsFailed(new CertificateException(
                "No subject alternative DNS name matching mx.example.test found.")), VERIFY))
                .contains(TlsResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(TlsSessionReports.ofCertificate(new CertificateException(
                "No name matching mx.example.test found: the certificate names [mx.other.test]")))
                .isEqualTo(TlsResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(typeOf(tlsFailed(new CertificateException("matches none of its 1 usable TLSA record")),
                DANE)).contains(TlsResultType.TLSA_INVALID);
        assertThat(typeOf(new Connector.ConnectFailure(Attempt.Result.TLS_NOT_OFFERED, "no STARTTLS",
                Optional.empty()), VERIFY)).contains(TlsResultType.STARTTLS_NOT_SUPPORTED);
        assertThat(typeOf(new Connector.ConnectFailure(Attempt.Result.REFUSED, "refused",
                Optional.empty()), VERIFY)).isEmpty();
    }

    @Test
    void aSessionIsReportedUnderThePolicyThatApplied() {
        List<TlsSessionResult> results = new ArrayList<>();
        MtaStsPolicy sts = new MtaStsPolicy("1", MtaStsPolicy.Mode.ENFORCE, List.of("mx.example.test"), Duration.ofDays(1));
        DestinationPolicy stsPolicy = new DestinationPolicy("example.test", TlsPolicyLevel.MTA_STS, "published",
                Optional.of(sts));
        DestinationPolicy may = new DestinationPolicy("plain.test", TlsPolicyLevel.MAY, "default", Optional.empty());

        TlsSessionReports.attempted(results::add, AT, stsPolicy, HOST, "127.0.0.2", "127.0.0.1", new HostTls.Use(VERIFY, "verified"),
                Optional.empty(), true, true);
        TlsSessionReports.attempted(results::add, AT, may, HOST, "127.0.0.2", "127.0.0.1", new HostTls.Use(VERIFY, "opportunistic"),
                Optional.empty(), false, true);
        TlsSessionReports.attempted(results::add, AT, may, HOST, "127.0.0.2", "127.0.0.1", new HostTls.Use(VERIFY, "opportunistic"),
                Optional.empty(), false, false);
        TlsSessionReports.attempted(results::add, AT, stsPolicy, HOST, "127.0.0.2", "127.0.0.1",
                new HostTls.Use(DANE, "dane", List.of("3 1 1 ab")), Optional.of(TlsSessionReports.TlsFailure.of(TlsResultType.TLSA_INVALID)), false, false);
        TlsSessionReports.refused(results::add, AT, may, HOST, new HostTls.Refuse("dane-only", TlsResultType.DANE_REQUIRED));
        TlsSessionReports.refused(results::add, AT, may, "", new HostTls.Refuse("bogus MX", TlsResultType.DNSSEC_INVALID));

        assertThat(results).hasSize(5);
        assertThat(results.get(0).policyType()).isEqualTo(TlsPolicyType.STS);
        assertThat(results.get(0).policyStrings()).containsExactly("version: STSv1", "mode: enforce",
                "mx: mx.example.test", "max_age: 86400");
        assertThat(results.get(0).successful()).isTrue();
        assertThat(results.get(1).policyType()).isEqualTo(TlsPolicyType.NO_POLICY_FOUND);
        assertThat(results.get(1).failure()).contains(TlsResultType.STARTTLS_NOT_SUPPORTED);
        assertThat(results.get(2).policyType()).isEqualTo(TlsPolicyType.TLSA);
        assertThat(results.get(2).policyStrings()).containsExactly("3 1 1 ab");
        assertThat(results.get(2).failure()).contains(TlsResultType.TLSA_INVALID);
        assertThat(results.get(3).policyType()).isEqualTo(TlsPolicyType.TLSA);
        assertThat(results.get(3).failure()).contains(TlsResultType.DANE_REQUIRED);
        assertThat(results.get(3).receivingIp()).isEmpty();
        assertThat(results.get(3).sendingIp()).isEmpty();
        assertThat(results.get(1).sendingIp()).isEqualTo("127.0.0.1");
        assertThat(results.get(2).sendingIp()).isEqualTo("127.0.0.1");
        assertThat(results.get(4).policyType()).isEqualTo(TlsPolicyType.TLSA);
        assertThat(results.get(4).failure()).contains(TlsResultType.DNSSEC_INVALID);
        assertThat(results.get(4).mxHost()).isEmpty();
        assertThat(results.get(4).mxPatterns()).isEmpty();
    }

    @Test
    void aHandshakeThatFailsForAnotherReasonThanTheCertificateIsAValidationFailureNotAMissingStarttls() {
        Connector.ConnectFailure noCommonProtocol = new Connector.ConnectFailure(Attempt.Result.TLS_NOT_OFFERED,
                "no TLS handshake", Optional.empty(), null, new SSLHandshakeException("No appropriate protocol"));

        assertThat(TlsSessionReports.of(noCommonProtocol, VERIFY)).contains(new TlsSessionReports.TlsFailure(
                TlsResultType.VALIDATION_FAILURE, TlsSessionReports.HANDSHAKE_FAILED));
    }

    @Test
    void onlyAnMxHostThePolicyDoesNotNameIsReportedAsMxNotInPolicy() {
        List<TlsSessionResult> results = new ArrayList<>();
        DestinationPolicy may = new DestinationPolicy("plain.test", TlsPolicyLevel.MAY, "default", Optional.empty());

        TlsSessionReports.refused(results::add, AT, may, HOST, new HostTls.Refuse("mx.example.test is not named"));
        TlsSessionReports.attempted(results::add, AT, may, HOST, "127.0.0.2", "127.0.0.1", new HostTls.Use(VERIFY, "verify"),
                TlsSessionReports.of(tlsFailed(new SSLHandshakeException("Received fatal alert: bad_certificate")),
                        VERIFY), false, false);

        assertThat(results).extracting(TlsSessionResult::failure).containsExactly(
                Optional.of(TlsResultType.VALIDATION_FAILURE), Optional.of(TlsResultType.VALIDATION_FAILURE));
        assertThat(results).extracting(TlsSessionResult::reason).containsExactly(
                TlsSessionReports.MX_NOT_IN_POLICY, "");
    }
}
