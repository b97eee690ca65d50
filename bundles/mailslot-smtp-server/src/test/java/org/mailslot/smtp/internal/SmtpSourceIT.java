package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.testing.peers.Processes;

/** Postfix's smtp-source: a load of plain messages on a 25-type listener, in parallel sessions. */
class SmtpSourceIT extends ListenerTestSupport {

    @Test
    void acceptsEveryMessageOfALoad() {
        Listener listener = start(RELAY);
        Processes.Result result = Processes.run(Duration.ofSeconds(120), List.of("smtp-source",
                "-s", "8", "-m", "400", "-l", "2048", "-M", "source.peer.example",
                "-f", "load@peer.example", "-t", "postmaster@example.test", "127.0.0.1:" + listener.boundPort()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(spool.stored).hasSize(400);
        assertThat(spool.stored).allSatisfy(stored -> {
            assertThat(stored.text()).startsWith("Received: from source.peer.example ([127.0.0.1])");
            assertThat(stored.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly("postmaster@example.test");
        });
        assertThat(listener.status().messagesAccepted()).isEqualTo(400);
    }

    @Test
    void reusesConnectionsForMessageAfterMessage() {
        Listener listener = start(RELAY);
        Processes.Result result = Processes.run(Duration.ofSeconds(120), List.of("smtp-source", "-d",
                "-s", "4", "-m", "200", "-l", "100000", "-f", "load@peer.example", "-t", "postmaster@example.test",
                "127.0.0.1:" + listener.boundPort()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(spool.stored).hasSize(200);
        assertThat(spool.stored).allSatisfy(stored -> assertThat(stored.message().length).isGreaterThan(100_000));
    }
}
