package org.mailslot.transport.internal.delivery;

import org.mailslot.support.text.ErrorText;
import org.mailslot.transport.internal.PortStrategies;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.tlsrpt.TlsResults;
import org.mailslot.api.transport.AppliedTlsPolicy;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.api.transport.TlsSession;
import org.mailslot.transport.internal.delivery.TlsSessionReports.TlsFailure;
import org.mailslot.transport.internal.delivery.mx.MxHost;
import org.mailslot.transport.internal.delivery.mx.MxLookupException;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.DestinationPolicy;
import org.mailslot.transport.internal.delivery.policy.HostTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one message over a route: ports in order (the remembered one first), falling back when
 * a port is refused, times out, or lacks the TLS its strategy requires (no STARTTLS, or a handshake
 * that fails for another reason than the certificate); stopping the route when the server's
 * certificate fails verification or the credentials are refused; mapping every reply to a
 * per-recipient outcome.
 *
 * <p>Outcomes that no reply decides: no usable port, a certificate failure and an AUTH failure are all
 * {@link DeliveryStatus#TEMPORARY_FAILURE} (an AUTH failure keeps the server's 535 as reply code).
 * The message is not at fault in any of them, and an operator can fix the route (a port opened,
 * a certificate renewed or trusted, a password corrected) while the spool retries, as Postfix
 * does with {@code smtp_sasl_auth_soft_bounce}. A message the next hop cannot take at all (it
 * needs SMTPUTF8 or 8BITMIME and the server lacks it) fails permanently, with reply code 0.
 */
final class Deliverer {

    private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);

    private final Connector connector;
    private final PortStrategies strategies;
    private final ConnectionPool pool;
    private final PortMemory memory;
    private final Clock clock;
    private final Supplier<TlsResults> tlsResults;

    /** @param tlsResults where each MX host's TLS outcome is told, for TLS reports; null while reporting is off */
    Deliverer(Connector connector, PortStrategies strategies, ConnectionPool pool, PortMemory memory, Clock clock,
            Supplier<TlsResults> tlsResults) {
        this.connector = connector;
        this.strategies = strategies;
        this.pool = pool;
        this.memory = memory;
        this.clock = clock;
        this.tlsResults = tlsResults;
    }

    DeliveryResult relay(RouteSettings settings, int poolSize, Envelope envelope, MessageSource message) {
        List<Attempt> attempts = new ArrayList<>();
        String host = settings.route().host();
        HostResult result = overHost(settings, poolSize, settings.name(), host, host, envelope, envelope.recipients(),
                message, attempts, TlsDemand.ofRoute(settings), settings.verification() == PeerVerification.FULL,
                new ArrayList<>());
        List<RecipientOutcome> outcomes = result.outcomes().orElseGet(() -> failAll(envelope.recipients(),
                DeliveryStatus.TEMPORARY_FAILURE, 0, "4.4.1", "no usable port on " + host + ": " + result.reasons(),
                host, 0, Optional.empty(), FailureCause.NO_USABLE_SERVER));
        return new DeliveryResult(settings.name(), outcomes, attempts);
    }

    DeliveryResult mx(MxRouting routing, Envelope envelope, MessageSource message) {
        RouteSettings settings = routing.settings();
        List<Attempt> attempts = new ArrayList<>();
        Map<String, List<Recipient>> byDomain = new LinkedHashMap<>();
        for (Recipient recipient : envelope.recipients()) {
            byDomain.computeIfAbsent(recipient.address().normalizedDomain(), d -> new ArrayList<>()).add(recipient);
        }
        Map<MailAddress, RecipientOutcome> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, List<Recipient>> group : byDomain.entrySet()) {
            String domain = group.getKey();
            List<Recipient> recipients = group.getValue();
            List<MxHost> hosts;
            try {
                hosts = domain.startsWith("[") ? List.of(literal(domain)) : routing.resolver().resolve(domain);
            } catch (MxLookupException e) {
                TlsResults reporting = domain.startsWith("[") || e.permanent() ? null : tlsResults.get();
                if (reporting != null) {
                    DestinationPolicy policy = routing.policies().decide(domain);
                    routing.hostTls().untrustedMx(policy).forEach((refusedHost, refused) ->
                            TlsSessionReports.refused(reporting, clock.instant(), policy, refusedHost, refused));
                }
                put(outcomes, failAll(recipients, e.permanent() ? DeliveryStatus.PERMANENT_FAILURE
                        : DeliveryStatus.TEMPORARY_FAILURE, 0, e.enhancedCode(), e.getMessage(), "", 0, Optional.empty(),
                        e.permanent() ? FailureCause.DNS_PERMANENT : FailureCause.DNS_TEMPORARY));
                continue;
            }
            DestinationPolicy policy = domain.startsWith("[")
                    ? new DestinationPolicy(domain, TlsPolicyLevel.MAY, "an address literal names no policy", Optional.empty())
                    : relaxedByHeader(routing.policies().decide(domain), envelope, message);
            List<String> reasons = new ArrayList<>();
            List<RecipientOutcome> decided = null;
            String result = "";
            boolean refusedByPolicy = false;
            TlsResults reporting = domain.startsWith("[") ? null : tlsResults.get();
            hosts:
            for (MxHost host : hosts) {
                HostTls tls = routing.hostTls().forHost(policy, host, settings.route().ports().get(0));
                if (tls instanceof HostTls.Refuse refused) {
                    LOG.info("Route {}: MX host {} of {} not used: {}", settings.name(), host.name(), domain,
                            refused.reason());
                    reasons.add(host.name() + ": " + refused.reason());
                    refusedByPolicy = true;
                    if (reporting != null) {
                        TlsSessionReports.refused(reporting, clock.instant(), policy, host, refused);
                    }
                    continue;
                }
                HostTls.Use use = (HostTls.Use) tls;
                for (String address : host.addresses()) {
                    List<String> failedHandshakes = new ArrayList<>();
                    HostResult attempt = overHost(settings, routing.poolSize(), settings.name() + "/" + host.name(),
                            host.name(), address, envelope, recipients, message, attempts, use.demand(),
                            namesAuthenticated(policy, use), failedHandshakes);
                    if (reporting != null) {
                        failedHandshakes.forEach(sendingIp -> TlsSessionReports.handshakeFailed(reporting,
                                clock.instant(), policy, host, address, sendingIp, use));
                    }
                    if (reporting != null && attempt.newSession()) {
                        TlsSessionReports.attempted(reporting, clock.instant(), policy, host, address, attempt.sendingIp(),
                                use, attempt.tlsFailure().or(() -> use.unenforced().map(TlsFailure::ofPolicy))
                                        .or(() -> attempt.audited().map(TlsFailure::of)),
                                attempt.outcomes().map(Deliverer::overTls).orElse(false),
                                attempt.outcomes().isPresent() && attempt.tlsFailure().isEmpty());
                    }
                    if (attempt.outcomes().isPresent() && !attempt.tlsFailed()) {
                        decided = attempt.outcomes().get();
                        result = describe(use, decided) + use.unenforced().or(attempt::audited)
                                .map(found -> "; reported: " + found.keyword()).orElse("");
                        break hosts;
                    }
                    // A host whose TLS failed is skipped, never spoken to in clear; the next MX
                    // host is another server, tried under the same rules.
                    reasons.add(host.name() + "[" + address + "]: " + attempt.reasons());
                    refusedByPolicy |= attempt.tlsFailed() && use.demand().policy();
                }
            }
            if (decided == null && refusedByPolicy) {
                result = "no MX host of " + domain + " could be used under it";
                decided = failAll(recipients, DeliveryStatus.TEMPORARY_FAILURE, 0, "4.7.5",
                        "TLS policy " + policy.level() + ": no MX host of " + domain + " could be used: "
                                + String.join("; ", reasons), "", 0, Optional.empty(), FailureCause.TLS_POLICY);
            } else if (decided == null) {
                result = "no MX host of " + domain + " could be used";
                decided = failAll(recipients, DeliveryStatus.TEMPORARY_FAILURE, 0, "4.4.1",
                        "no MX host of " + domain + " could be used: " + String.join("; ", reasons), "", 0,
                        Optional.empty(), FailureCause.NO_USABLE_SERVER);
            }
            AppliedTlsPolicy applied = policy.applied(result);
            put(outcomes, decided.stream().map(outcome -> outcome.withTlsPolicy(applied)).toList());
        }
        List<RecipientOutcome> ordered = envelope.recipients().stream().map(r -> outcomes.get(r.address())).toList();
        return new DeliveryResult(settings.name(), ordered, attempts);
    }

    /**
     * RFC 8689 section 5: {@code TLS-Required: No} makes a policy above {@code may} opportunistic for
     * this message, unless it asks for REQUIRETLS. The header is read only when there is a policy to relax.
     */
    private static DestinationPolicy relaxedByHeader(DestinationPolicy policy, Envelope envelope, MessageSource message) {
        if (policy.level() == TlsPolicyLevel.MAY || envelope.requireTls() || !TlsRequiredHeader.saysNo(message)) {
            return policy;
        }
        return new DestinationPolicy(policy.domain(), TlsPolicyLevel.MAY, "TLS-Required: No in the message, instead of "
                + policy.level() + " (" + policy.why() + ")", policy.mtaSts(), policy.stsFailure());
    }

    private static boolean overTls(List<RecipientOutcome> decided) {
        return decided.stream().anyMatch(outcome -> outcome.tls().isPresent());
    }

    /** @return what the delivery proved of its next hop's TLS, for the applied policy */
    private static String describe(HostTls.Use use, List<RecipientOutcome> decided) {
        if (!overTls(decided) && decided.stream().anyMatch(outcome -> outcome.replyCode() > 0)) {
            return "no STARTTLS offered: sent in clear";
        }
        return use.verified();
    }

    private static MxHost literal(String domain) {
        String inner = domain.substring(1, domain.length() - 1);
        String address = inner.regionMatches(true, 0, "IPv6:", 0, 5) ? inner.substring(5) : inner;
        return new MxHost(address, 0, List.of(address));
    }

    private static void put(Map<MailAddress, RecipientOutcome> outcomes, List<RecipientOutcome> list) {
        for (RecipientOutcome outcome : list) {
            outcomes.put(outcome.recipient(), outcome);
        }
    }

    /**
     * The outcome of one host: decided by a transaction (or a route failure), or no usable port.
     *
     * @param tlsFailure why TLS failed, when the host is skipped for it
     * @param sendingIp our address on the connection that decided, empty if none did
     * @param audited what the audit of the certificate found ({@link TlsDemand#audited()}), the host used all the same
     * @param newSession whether the connection that decided was opened for this delivery, not taken from the pool:
     *     a TLS report counts sessions (RFC 8460 section 4.3), not the messages one carried
     */
    private record HostResult(Optional<List<RecipientOutcome>> outcomes, String reasons,
            Optional<TlsFailure> tlsFailure, String sendingIp, Optional<TlsResultType> audited, boolean newSession) {

        static HostResult noUsablePort(String reasons) {
            return new HostResult(Optional.empty(), reasons, Optional.empty(), "", Optional.empty(), false);
        }

        boolean tlsFailed() {
            return tlsFailure.isPresent();
        }
    }

    /**
     * @param failedHandshakes gets our address on each connection whose TLS handshake failed for another reason
     *     than the certificate under an audited demand ({@link TlsDemand#audited()}), for TLS reports
     */
    private HostResult overHost(RouteSettings settings, int poolSize, String memoryKey, String host, String address,
            Envelope envelope, List<Recipient> recipients, MessageSource message, List<Attempt> attempts,
            TlsDemand demand, boolean namesAuthenticated, List<String> failedHandshakes) {
        List<String> reasons = new ArrayList<>();
        for (int port : memory.order(memoryKey, settings.route().ports())) {
            PortStrategy strategy = strategies.forPort(port);
            PoolKey key = new PoolKey(settings.name(), host, address, port, demand.tag());
            SmtpConnection connection = pool.take(key, strategy);
            boolean fresh = connection == null;
            Instant at = clock.instant();
            for (int round = 0; round < 2; round++) {
                if (connection == null) {
                    try {
                        connection = connector.open(settings, key, strategy, demand);
                        fresh = true;
                    } catch (Connector.ConnectFailure failure) {
                        attempts.add(new Attempt(host, port, at, failure.result(), where(key) + failure.getMessage(),
                                failure.tls()));
                        memory.forget(memoryKey, port);
                        if (demand.audited() && failure.handshakeFailed()) {
                            // Under MTA-STS testing: a session that failed, reported; the port falls back as under may.
                            failedHandshakes.add(failure.localAddress());
                        }
                        String reason = port + " " + describe(failure.result()) + " (" + failure.getMessage() + ")";
                        if (failure.result() == Attempt.Result.TLS_FAILED
                                || demand.required() && failure.result() == Attempt.Result.TLS_NOT_OFFERED) {
                            LOG.warn("Route {}: TLS with {} failed; the route fails, nothing is sent in clear: {}",
                                    settings.name(), key, failure.getMessage());
                            return new HostResult(Optional.of(failAll(recipients, DeliveryStatus.TEMPORARY_FAILURE, 0,
                                    "4.7.5", failure.getMessage(), host, port, Optional.empty(),
                                    demand.policy() ? FailureCause.TLS_POLICY : FailureCause.TLS_FAILED)), reason,
                                    Optional.of(TlsSessionReports.of(failure, demand)
                                            .orElse(TlsFailure.of(TlsResultType.VALIDATION_FAILURE))),
                                    failure.localAddress(),
                                    Optional.empty(), true);
                        }
                        if (failure.result() == Attempt.Result.AUTH_FAILED) {
                            LOG.warn("Route {}: {} refused the credentials of user {}: {}", settings.name(), key,
                                    settings.credentials().map(RouteSettings.Credentials::username).orElse(""),
                                    failure.getMessage());
                            Reply reply = failure.reply().filter(r -> r.code() > 0).orElse(new Reply(0, "4.7.8", ""));
                            return new HostResult(Optional.of(failAll(recipients, DeliveryStatus.TEMPORARY_FAILURE,
                                    reply.code(), reply.enhancedCode(), failure.getMessage(), host, port, Optional.empty(),
                                    FailureCause.AUTH_FAILED)), reason, Optional.empty(), failure.localAddress(),
                                    Optional.empty(), true);
                        }
                        // Debug: the attempts travel in the result, and the spool logs each recipient's outcome.
                        LOG.debug("Route {}: port {} of {} not usable ({})", settings.name(), port, host,
                                failure.getMessage());
                        reasons.add(reason);
                        connection = null;
                        break;
                    }
                }
                // The demand verified whatever TLS the connection has: with it, the hop is authenticated.
                Outcome outcome = transact(connection, envelope, recipients, message, host, port,
                        namesAuthenticated && connection.tls().isPresent());
                if (outcome.broken() && !fresh && outcome.beforeMail() && round == 0) {
                    // A pooled connection the server closed while it was idle (no RSET probes it
                    // before reuse: that would cost a round trip per message). Nothing of this
                    // message was accepted; it goes over a fresh connection and is not an attempt.
                    LOG.debug("Pooled connection {} was dead ({}); retrying on a fresh one", connection,
                            outcome.detail());
                    connection.close();
                    connection = null;
                    at = clock.instant();
                    continue;
                }
                attempts.add(new Attempt(host, port, at, outcome.result(), where(key) + outcome.detail(), connection.tls()));
                if (outcome.broken()) {
                    connection.close();
                } else {
                    // Against the strategy in force now: it may have changed during the transaction.
                    pool.release(connection, strategies.forPort(port), settings.idleTimeout(), poolSize);
                }
                memory.remember(memoryKey, port, settings.portMemory());
                return new HostResult(Optional.of(outcome.outcomes()), "", Optional.empty(), connection.localAddress(),
                        connection.audited(), fresh);
            }
        }
        return HostResult.noUsablePort(String.join("; ", reasons));
    }

    private static String where(PoolKey key) {
        return key.address().equals(key.host()) ? "" : "[" + key.address() + "] ";
    }

    private static String describe(Attempt.Result result) {
        return result.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /**
     * @param beforeMail whether the server took nothing of the message: no reply to MAIL, or a 421 to
     *     it (the server closing the connection; on a pooled one, often its idle timeout)
     */
    private record Outcome(List<RecipientOutcome> outcomes, Attempt.Result result, String detail, boolean broken,
            boolean beforeMail) {
    }

    private static boolean beforeMail(Transaction transaction) {
        return transaction.mailReply().map(reply -> reply.code() == 421).orElse(true);
    }

    /**
     * RFC 8689 section 4.2.1: REQUIRETLS mail goes only where TLS is verified against a name that
     * unauthenticated DNS cannot have chosen: a DANE match (DNSSEC-validated MX and TLSA), an
     * enforced MTA-STS policy's MX name, the recipient domain ({@code secure}). {@code verify}
     * checks a name taken from an MX answer anyone on the path could forge, and is not enough.
     */
    private static boolean namesAuthenticated(DestinationPolicy policy, HostTls.Use use) {
        boolean level = switch (policy.level()) {
            case DANE, DANE_ONLY, MTA_STS, SECURE -> true;
            case MAY, ENCRYPT, VERIFY -> false;
        };
        return level && use.demand().policy() && use.demand().authenticates();
    }

    private Outcome transact(SmtpConnection connection, Envelope envelope, List<Recipient> recipients,
            MessageSource message, String host, int port, boolean authenticatedHop) {
        Optional<TlsSession> tls = connection.tls();
        Transaction transaction = new Transaction(envelope, recipients, authenticatedHop);
        AngusConnection smtp = connection.smtp();
        smtp.transaction(transaction);
        Deadline deadline = connection.deadline();
        // Until the first reply is waited for: writing MAIL (or the pipelined group) is bounded too.
        deadline.arm(Deadline.Step.REPLY, connection.readTimeout());
        try {
            smtp.sendMessage(new RawMessage(connection.session(), message), addresses(recipients));
            Reply data = Reply.parse(smtp.getLastReturnCode(), smtp.getLastServerResponse());
            return new Outcome(perRecipient(transaction, data, host, port, tls), Attempt.Result.DELIVERED,
                    data.toString(), false, false);
        } catch (Transaction.Unsupported e) {
            Reply reply = e.reply();
            return new Outcome(failAll(recipients, DeliveryStatus.PERMANENT_FAILURE, 0, reply.enhancedCode(),
                    reply.text(), host, port, tls, FailureCause.NOT_SUPPORTED), Attempt.Result.REJECTED, reply.text(), false, false);
        } catch (Transaction.Rejected e) {
            Optional<Reply> mail = transaction.mailReply().filter(r -> r.status() != DeliveryStatus.ACCEPTED);
            List<RecipientOutcome> outcomes = mail.isPresent()
                    ? failAll(recipients, mail.get().status(), mail.get().code(), mail.get().enhancedCode(),
                            mail.get().text(), host, port, tls, causeOf(mail.get()))
                    : perRecipient(transaction, null, host, port, tls);
            boolean closing = mail.map(Reply::code).orElse(0) == 421
                    || transaction.recipientReplies().stream().anyMatch(r -> r.code() == 421);
            return new Outcome(outcomes, Attempt.Result.REJECTED, e.getMessage(), closing, beforeMail(transaction));
        } catch (SMTPSendFailedException e) {
            if (deadline.expired().isPresent()) {
                return timedOut(transaction, recipients, deadline.expired().get(), host, port, tls);
            }
            Reply reply = Reply.parse(e.getReturnCode(), e.getMessage());
            return new Outcome(perRecipient(transaction, reply, host, port, tls), Attempt.Result.REJECTED,
                    reply.toString(), reply.code() == 421 || reply.code() <= 0, false);
        } catch (MessagingException | RuntimeException e) {
            if (deadline.expired().isPresent()) {
                return timedOut(transaction, recipients, deadline.expired().get(), host, port, tls);
            }
            String detail = "connection failed during the transaction: " + ErrorText.of(e);
            return new Outcome(broken(transaction, recipients, detail, FailureCause.CONNECTION_LOST, host, port, tls),
                    Attempt.Result.FAILED, detail,
                    true, beforeMail(transaction));
        } finally {
            smtp.transaction(null);
            deadline.disarm();
        }
    }

    /**
     * The connection's deadline closed it: a temporary failure for every recipient the server had not
     * refused (4.4.2, as Postfix's "conversation timed out"). Never retried at once on a fresh
     * connection, even before MAIL: the server did not answer in time, it did not merely go away.
     */
    private static Outcome timedOut(Transaction transaction, List<Recipient> recipients, String why, String host,
            int port, Optional<TlsSession> tls) {
        String detail = "timed out: " + why;
        return new Outcome(broken(transaction, recipients, detail, FailureCause.TIMED_OUT, host, port, tls),
                Attempt.Result.TIMED_OUT, detail,
                true, false);
    }

    /** @return the RCPT refusals the server gave, and a temporary failure with {@code detail} for the rest */
    private static List<RecipientOutcome> broken(Transaction transaction, List<Recipient> recipients, String detail,
            FailureCause cause, String host, int port, Optional<TlsSession> tls) {
        List<Reply> replies = transaction.recipientReplies();
        List<RecipientOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Reply reply = i < replies.size() ? replies.get(i) : null;
            outcomes.add(reply != null && reply.status() != DeliveryStatus.ACCEPTED
                    ? outcome(recipients.get(i), reply, reply.status(), host, port, tls)
                    : new RecipientOutcome(recipients.get(i).address(), DeliveryStatus.TEMPORARY_FAILURE, 0, "4.4.2",
                            detail, host, port, tls, cause));
        }
        return outcomes;
    }

    /**
     * @param data the reply to DATA (or its end), for the recipients RCPT accepted; null when no
     *     DATA was sent
     */
    private static List<RecipientOutcome> perRecipient(Transaction transaction, Reply data, String host, int port,
            Optional<TlsSession> tls) {
        List<Reply> replies = transaction.recipientReplies();
        List<RecipientOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < transaction.recipients().size(); i++) {
            Recipient recipient = transaction.recipients().get(i);
            Reply rcpt = i < replies.size() ? replies.get(i) : new Reply(0, "4.4.2", "no reply to RCPT");
            Reply decisive = rcpt.status() == DeliveryStatus.ACCEPTED && data != null ? data : rcpt;
            RecipientOutcome outcome = outcome(recipient, decisive, decisive.status(), host, port, tls);
            outcomes.add(outcome.status() == DeliveryStatus.ACCEPTED && !transaction.dsnOffered()
                    ? new RecipientOutcome(outcome.recipient(), outcome.status(), outcome.replyCode(), outcome.enhancedCode(),
                            outcome.text(), host, port, tls, true)
                    : outcome);
        }
        return outcomes;
    }

    private static RecipientOutcome outcome(Recipient recipient, Reply reply, DeliveryStatus status, String host,
            int port, Optional<TlsSession> tls) {
        return new RecipientOutcome(recipient.address(), status, reply.code(), reply.enhancedCode(), reply.text(), host,
                port, tls, false, status == DeliveryStatus.ACCEPTED ? Optional.empty() : Optional.of(causeOf(reply)));
    }

    /** A reply with code 0 stands for one the server never gave: the connection ended first. */
    private static FailureCause causeOf(Reply reply) {
        return reply.code() == 0 ? FailureCause.CONNECTION_LOST : FailureCause.ofReply(reply.code(), reply.status());
    }

    private static List<RecipientOutcome> failAll(List<Recipient> recipients, DeliveryStatus status, int code,
            String enhanced, String text, String host, int port, Optional<TlsSession> tls, FailureCause cause) {
        return recipients.stream()
                .map(r -> new RecipientOutcome(r.address(), status, code, enhanced, text, host, port, tls, cause))
                .toList();
    }

    private static Address[] addresses(List<Recipient> recipients) {
        Address[] addresses = new Address[recipients.size()];
        for (int i = 0; i < addresses.length; i++) {
            // No parsing: the address is valid already, and may be UTF-8 (RFC 6531).
            InternetAddress address = new InternetAddress();
            address.setAddress(recipients.get(i).address().toString());
            addresses[i] = address;
        }
        return addresses;
    }
}
