package org.mailslot.transport.internal.delivery;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tlsrpt.TlsPolicyType;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.tlsrpt.TlsResults;
import org.mailslot.api.tlsrpt.TlsSessionResult;
import org.mailslot.api.transport.Attempt;
import org.mailslot.transport.internal.delivery.mx.MxHost;
import org.mailslot.transport.internal.delivery.policy.DestinationPolicy;
import org.mailslot.transport.internal.delivery.policy.HostTls;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;

/**
 * Tells TLS reporting (RFC 8460) what became of each MX host of a destination: refused by its policy,
 * a TLS session that failed and why, or one that succeeded. Off the delivery's decisions: it only reads them.
 */
final class TlsSessionReports {

    /** The failure-reason-code of a TLS handshake that failed for another reason than the certificate. */
    static final String HANDSHAKE_FAILED = "tls-handshake-failed";
    /** The failure-reason-code of an MX host that the domain's MTA-STS policy does not name. */
    static final String MX_NOT_IN_POLICY = "mx-not-in-policy";

    /**
     * What a TLS report says of a failed session: its result type and, where the type alone does not tell,
     * a failure-reason-code (RFC 8460 section 4.3.2.2 leaves it to the sender), else empty.
     */
    record TlsFailure(TlsResultType type, String reason) {

        /** A certificate or TLSA check that failed: the type says it all. */
        static TlsFailure of(TlsResultType type) {
            return new TlsFailure(type, "");
        }

        /** What a policy holds against an MX host before any connection (an MTA-STS policy not naming it, DNSSEC). */
        static TlsFailure ofPolicy(TlsResultType type) {
            return new TlsFailure(type, type == TlsResultType.VALIDATION_FAILURE ? MX_NOT_IN_POLICY : "");
        }
    }

    private TlsSessionReports() {
    }

    static void refused(TlsResults results, Instant at, DestinationPolicy policy, MxHost host, HostTls.Refuse refused) {
        refused(results, at, policy, host.name(), refused);
    }

    /** @param host the MX host refused, empty when the domain's MX records themselves could not be trusted */
    static void refused(TlsResults results, Instant at, DestinationPolicy policy, String host, HostTls.Refuse refused) {
        boolean dane = refused.reported() == TlsResultType.DNSSEC_INVALID || refused.reported() == TlsResultType.DANE_REQUIRED;
        record(results, at, policy, host, "", "", dane ? List.of() : null,
                Optional.of(TlsFailure.ofPolicy(refused.reported())));
    }

    /**
     * @param address the host's address connected to
     * @param sendingIp our address on the connection, empty if none was made
     * @param tlsFailure why TLS failed with the host, or what a policy that is not enforced found wrong with
     *     it; empty if nothing
     * @param tls whether the delivery went over TLS
     * @param delivered whether a transaction took place (in clear, when {@code tls} is false)
     */
    static void attempted(TlsResults results, Instant at, DestinationPolicy policy, MxHost host, String address,
            String sendingIp, HostTls.Use use, Optional<TlsFailure> tlsFailure, boolean tls, boolean delivered) {
        Optional<TlsFailure> failure = tlsFailure.isPresent() ? tlsFailure
                : !tls && delivered ? Optional.of(TlsFailure.of(TlsResultType.STARTTLS_NOT_SUPPORTED)) : Optional.empty();
        if (failure.isEmpty() && !tls && (policy.stsFailure().isEmpty() || !use.tlsa().isEmpty())) {
            return;
        }
        record(results, at, policy, host.name(), address, sendingIp, use.tlsa().isEmpty() ? null : use.tlsa(), failure);
    }

    /**
     * A TLS handshake that failed for another reason than the certificate (no protocol or cipher suite in
     * common, the handshake aborted) under a policy that only reports: RFC 8460 section 4.3.2.2 has no result
     * type of its own for it but the general {@code validation-failure}; STARTTLS was offered, so it is not
     * {@code starttls-not-supported}.
     */
    static void handshakeFailed(TlsResults results, Instant at, DestinationPolicy policy, MxHost host, String address,
            String sendingIp, HostTls.Use use) {
        record(results, at, policy, host.name(), address, sendingIp, use.tlsa().isEmpty() ? null : use.tlsa(),
                Optional.of(new TlsFailure(TlsResultType.VALIDATION_FAILURE, HANDSHAKE_FAILED)));
    }

    /** @param tlsa the TLSA records for a DANE session, null if DANE did not apply */
    private static void record(TlsResults results, Instant at, DestinationPolicy policy, String host, String address,
            String sendingIp, List<String> tlsa, Optional<TlsFailure> tlsFailure) {
        String mx = host.toLowerCase(Locale.ROOT);
        Optional<TlsResultType> failure = tlsFailure.map(TlsFailure::type);
        String reason = tlsFailure.map(TlsFailure::reason).orElse("");
        TlsSessionResult result;
        if (tlsa != null) {
            result = new TlsSessionResult(at, policy.domain(), TlsPolicyType.TLSA, tlsa, mx.isEmpty() ? List.of()
                    : List.of(mx), mx, address, sendingIp, failure, reason);
        } else if (policy.mtaSts().isPresent()) {
            MtaStsPolicy sts = policy.mtaSts().get();
            result = new TlsSessionResult(at, policy.domain(), TlsPolicyType.STS, lines(sts), sts.mx(), mx, address,
                    sendingIp, failure, reason);
        } else if (policy.stsFailure().isPresent()) {
            // No policy to apply because it could not be had: the session fails for that (RFC 8460 section 4.3).
            result = new TlsSessionResult(at, policy.domain(), TlsPolicyType.STS, List.of(), List.of(), mx, address,
                    sendingIp, policy.stsFailure(), "");
        } else {
            result = new TlsSessionResult(at, policy.domain(), TlsPolicyType.NO_POLICY_FOUND, List.of(), List.of(), mx,
                    address, sendingIp, failure, reason);
        }
        results.record(result);
    }

    /** @return the policy as its lines (RFC 8460 section 4.3.1: the policy-string of an sts policy) */
    private static List<String> lines(MtaStsPolicy policy) {
        List<String> lines = new ArrayList<>();
        lines.add("version: STSv1");
        lines.add("mode: " + policy.mode().name().toLowerCase(Locale.ROOT));
        for (String mx : policy.mx()) {
            lines.add("mx: " + mx);
        }
        lines.add("max_age: " + policy.maxAge().toSeconds());
        return lines;
    }

    /**
     * @param failure how connecting failed
     * @param demand the TLS the connection had to have
     * @return what a TLS report says of it, empty when TLS was not what failed
     */
    static Optional<TlsFailure> of(Connector.ConnectFailure failure, TlsDemand demand) {
        if (failure.handshakeFailed()) {
            // STARTTLS was offered: the handshake itself failed (no protocol or cipher suite in common).
            return Optional.of(new TlsFailure(TlsResultType.VALIDATION_FAILURE, HANDSHAKE_FAILED));
        }
        if (failure.result() == Attempt.Result.TLS_NOT_OFFERED) {
            return Optional.of(TlsFailure.of(TlsResultType.STARTTLS_NOT_SUPPORTED));
        }
        if (failure.result() != Attempt.Result.TLS_FAILED) {
            return Optional.empty();
        }
        if (demand.check().isPresent() && demand.verification() == PeerVerification.NONE
                && ofCertificate(failure.getCause()) != TlsResultType.CERTIFICATE_EXPIRED) {
            // The check of a DANE demand: the certificate matched none of the TLSA records.
            return Optional.of(TlsFailure.of(TlsResultType.TLSA_INVALID));
        }
        return Optional.of(TlsFailure.of(ofCertificate(failure.getCause())));
    }

    /**
     * @param refusal why a server's certificate was refused (by the TLS service, a policy's check or an audit)
     * @return what a TLS report calls it
     */
    static TlsResultType ofCertificate(Throwable refusal) {
        Set<Throwable> seen = new HashSet<>();
        boolean untrusted = false;
        boolean misnamed = false;
        for (Throwable t = refusal; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertPathValidatorException invalid
                    && invalid.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return TlsResultType.CERTIFICATE_EXPIRED;
            }
            String message = String.valueOf(t.getMessage());
            untrusted |= t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || message.contains("unable to find valid certification path");
            misnamed |= message.contains("No subject alternative") || message.contains("No name matching")
                    || message.contains("nor a sub-domain");
        }
        if (misnamed) {
            return TlsResultType.CERTIFICATE_HOST_MISMATCH;
        }
        return untrusted ? TlsResultType.CERTIFICATE_NOT_TRUSTED : TlsResultType.VALIDATION_FAILURE;
    }
}
