package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.DeliveryStatus;
import org.mailslot.api.transport.FailureCause;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;

/** Port fallback: which ports are tried, in which order, and what is remembered. */
class FallbackTest extends DeliveryFixture {

    @Test
    void refusedPortFallsBackToTheNextAndDeliversOverStartTlsWithAuth() throws Exception {
        int closed = closedPort();
        FakeSmtpServer submission = plain().offerStartTls(true);
        strategy(closed, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        strategy(submission.port(), TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        Route route = relay("smarthost", List.of(closed, submission.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::port, Attempt::result).containsExactly(
                org.assertj.core.groups.Tuple.tuple(closed, Attempt.Result.REFUSED),
                org.assertj.core.groups.Tuple.tuple(submission.port(), Attempt.Result.DELIVERED));
        RecipientOutcome outcome = result.recipients().get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryStatus.ACCEPTED);
        assertThat(outcome.replyCode()).isEqualTo(250);
        assertThat(outcome.enhancedCode()).isEqualTo("2.0.0");
        assertThat(outcome.port()).isEqualTo(submission.port());
        assertThat(outcome.tls()).hasValueSatisfying(tls -> {
            assertThat(tls.protocol()).isEqualTo("TLSv1.3");
            assertThat(tls.verified()).isTrue();
            assertThat(tls.peerSubject()).isEqualTo("CN=smtp.test");
            assertThat(tls.peerIssuer()).isEqualTo("CN=Transport Test CA");
        });
        // On the wire: STARTTLS, then AUTH and MAIL only under TLS.
        assertThat(submission.commands()).filteredOn(c -> c.line().startsWith("AUTH") || c.line().startsWith("MAIL"))
                .isNotEmpty().allMatch(FakeSmtpServer.Command::tls);
        assertThat(submission.messages()).containsExactly(MESSAGE);
    }

    @Test
    void portThatTimesOutFallsBack() throws Exception {
        int silent = silentPort();
        FakeSmtpServer implicit = implicit();
        strategy(silent, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        strategy(implicit.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("smarthost", List.of(silent, implicit.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result)
                .containsExactly(Attempt.Result.TIMED_OUT, Attempt.Result.DELIVERED);
        assertThat(result.allAccepted()).isTrue();
        assertThat(implicit.messages()).hasSize(1);
    }

    @Test
    void serverWithoutStartTlsOnARequiredPortIsLeftAfterEhloAndTheNextPortIsUsed() throws Exception {
        FakeSmtpServer noTls = plain().offerStartTls(false).offerAuth(true);
        FakeSmtpServer implicit = implicit();
        strategy(noTls.port(), TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        strategy(implicit.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("smarthost", List.of(noTls.port(), implicit.port()), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts().get(0).result()).isEqualTo(Attempt.Result.TLS_NOT_OFFERED);
        assertThat(result.attempts().get(0).detail()).contains("does not offer STARTTLS");
        assertThat(result.attempts().get(1).result()).isEqualTo(Attempt.Result.DELIVERED);
        // The cleartext server heard EHLO and nothing else: no AUTH, no MAIL.
        assertThat(noTls.lines()).hasSize(1).allMatch(line -> line.startsWith("EHLO"));
        assertThat(noTls.messages()).isEmpty();
        assertThat(implicit.messages()).hasSize(1);
    }

    @Test
    void portWithoutAStrategyIsTreatedAsStartTlsRequired() throws Exception {
        FakeSmtpServer noTls = plain().offerStartTls(false);
        Route route = relay("smarthost", List.of(noTls.port()), Optional.empty());

        DeliveryResult result = send(route, "a@example.org", "b@example.org");

        assertThat(result.attempts()).extracting(Attempt::result).containsExactly(Attempt.Result.TLS_NOT_OFFERED);
        assertThat(noTls.lines()).noneMatch(line -> line.startsWith("MAIL"));
        assertThat(result.recipients().get(0).status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
    }

    @Test
    void noUsablePortIsATemporaryFailureWithReplyCodeZeroAndEveryReason() throws Exception {
        int first = closedPort();
        int second = silentPort();
        strategy(first, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
        strategy(second, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("smarthost", List.of(first, second), credentials());

        DeliveryResult result = send(route, "a@example.org", "b@example.org", "c@example.org");

        assertThat(result.recipients()).hasSize(2).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(DeliveryStatus.TEMPORARY_FAILURE);
            assertThat(outcome.failure()).contains(FailureCause.NO_USABLE_SERVER);
            assertThat(outcome.text()).contains(first + " refused").contains(second + " timed out");
        });
    }

    @Test
    void thePortThatWorkedIsTriedFirstUntilTheMemoryExpires() throws Exception {
        int closed = closedPort();
        FakeSmtpServer implicit = implicit();
        strategy(closed, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        strategy(implicit.port(), TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
        Route route = relay("smarthost", List.of(closed, implicit.port()), credentials());

        assertThat(send(route, "a@example.org", "b@example.org").attempts()).extracting(Attempt::port)
                .containsExactly(closed, implicit.port());
        assertThat(send(route, "a@example.org", "b@example.org").attempts()).extracting(Attempt::port)
                .containsExactly(implicit.port());

        clock.advance(Duration.ofMinutes(11));
        assertThat(send(route, "a@example.org", "b@example.org").attempts()).extracting(Attempt::port)
                .containsExactly(closed, implicit.port());
        assertThat(implicit.messages()).hasSize(3);
    }
}
