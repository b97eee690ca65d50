package org.mailslot.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.listener.ListenerCounters;
import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.spool.DeliveryStatistics.RouteStatistics;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;

class PrometheusMetersTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void theExpositionNamesEveryFigureWithHelpAndType() {
        Snapshot snapshot = new Snapshot(NOW, Optional.of(QueueFigures.of(List.of(
                entry("a", "bob@example.org", false, Optional.of("waiting for the required pipeline stage crypto-policy")),
                entry("b", "carol@example.org", true, Optional.empty())), NOW)),
                List.of(new ListenerStatus("submission", "127.0.0.1", 587, 587, Optional.empty(), ListenerState.BOUND, "", 2, 7)),
                List.of(new ListenerCounters("submission", 5, 9, 1, java.util.Map.of(535, 5L, 421, 1L))), List.of(), Optional.empty(),
                List.of(new RouteStatistics("local", 4, 1, 0, List.of(1L, 2L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L),
                        Duration.ofMillis(400))), List.of(), List.of());
        PrometheusMeters meters = new PrometheusMeters(() -> snapshot);

        meters.update(snapshot);
        String exposition = meters.scrape();

        assertThat(exposition)
                .contains("# HELP mailslot_queue_depth Messages in the spool")
                .contains("# TYPE mailslot_queue_depth gauge")
                .containsPattern("(?m)^mailslot_queue_depth 2\\.0$")
                .containsPattern("(?m)^mailslot_queue_waiting\\{reason=\"waiting\"} 1\\.0$")
                .containsPattern("(?m)^mailslot_queue_waiting\\{reason=\"held\"} 1\\.0$")
                .containsPattern("(?m)^mailslot_queue_destination_recipients\\{domain=\"example.org\"} 2\\.0$")
                .containsPattern("(?m)^mailslot_queue_oldest_message_age_seconds 600\\.0$")
                .contains("# TYPE mailslot_listener_messages_accepted_total counter")
                .containsPattern("(?m)^mailslot_listener_messages_accepted_total\\{listener=\"submission\"} 7\\.0$")
                .containsPattern("(?m)^mailslot_listener_connections\\{listener=\"submission\"} 2\\.0$")
                .containsPattern("(?m)^mailslot_tls_identity_expiry_timestamp_seconds NaN$")
                .containsPattern("(?m)^mailslot_delivery_recipients_total\\{outcome=\"delivered\",route=\"local\"} 4\\.0$")
                .containsPattern("(?m)^mailslot_listener_auth_failures_total\\{listener=\"submission\"} 5\\.0$")
                .containsPattern("(?m)^mailslot_listener_tls_handshakes_total\\{listener=\"submission\",result=\"failed\"} 1\\.0$")
                .containsPattern("(?m)^mailslot_listener_refusals_total\\{code=\"535\",listener=\"submission\"} 5\\.0$")
                .contains("# TYPE mailslot_delivery_attempt_seconds histogram")
                .containsPattern("(?m)^mailslot_delivery_attempt_seconds_bucket\\{route=\"local\",le=\"0\\.025\"} 3$")
                .containsPattern("(?m)^mailslot_delivery_attempt_seconds_bucket\\{route=\"local\",le=\"\\+Inf\"} 4$")
                .containsPattern("(?m)^mailslot_delivery_attempt_seconds_count\\{route=\"local\"} 4$");
        assertThat(exposition.lines().filter(line -> !line.startsWith("#") && !line.isBlank()))
                .allMatch(line -> line.startsWith("mailslot_"));
    }

    @Test
    void theStatusDataCannotEndTheScriptElementItIsEmbeddedIn() {
        assertThat(StatusJson.string("</script><b>\"x\"\n")).isEqualTo("\"\\u003c/script\\u003e\\u003cb\\u003e\\\"x\\\"\\n\"");
    }

    private static QueueEntry entry(String id, String recipient, boolean held, Optional<String> lastError) {
        return new QueueEntry(id, Optional.empty(), List.of(new RecipientState(MailAddress.parse(recipient),
                RecipientState.Status.PENDING, Optional.empty())), 100, NOW.minusSeconds(held ? 600 : 60), 1,
                Optional.empty(), lastError, held);
    }
}
