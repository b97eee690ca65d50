package org.mailslot.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmtpSinkIT {

    @Test
    void acceptsAndDumpsMessages() throws Exception {
        try (SmtpSink sink = SmtpSink.builder().port(2500).start()) {
            for (int i = 0; i < 2; i++) {
                Swaks.Result result = Swaks.command().server(sink.address(), sink.port())
                        .from("a@example.test").to("b@example.test").header("Subject: sink " + i).run();
                assertThat(result.exitCode()).as(result.transcript()).isZero();
            }

            assertThat(sink.awaitAcceptedMessages(2, Duration.ofSeconds(10))).isEqualTo(2);
            assertThat(sink.dumpedMessages()).hasSize(2);
            assertThat(Files.readString(sink.dumpDirectory().resolve(sink.dumpedMessages().get(0).getFileName())))
                    .contains("X-Rcpt-Args: <b@example.test>").contains("Subject: sink");
        }
    }

    @Test
    void answersRcptWithAConfiguredTemporaryFailure() {
        try (SmtpSink sink = SmtpSink.builder().port(2501).softReject("RCPT").softReply("451 4.7.1 Try again later")
                .start()) {
            Swaks.Result result = Swaks.command().server(sink.address(), sink.port())
                    .from("a@example.test").to("b@example.test").run();

            assertThat(result.exitCode()).as(result.transcript()).isEqualTo(24);
            assertThat(result.transcript()).contains("451 4.7.1 Try again later");
            assertThat(sink.acceptedMessages()).isZero();
        }
    }

    @Test
    void answersDataWithAPermanentFailure() {
        try (SmtpSink sink = SmtpSink.builder().port(2502).hardReject("DATA").hardReply("554 5.6.0 Go away").start()) {
            Swaks.Result result = Swaks.command().server(sink.address(), sink.port())
                    .from("a@example.test").to("b@example.test").run();

            assertThat(result.exitCode()).as(result.transcript()).isEqualTo(25);
            assertThat(result.transcript()).contains("554 5.6.0 Go away");
        }
    }

    @Test
    void closeStopsTheProcessAndFreesThePort() {
        SmtpSink sink = SmtpSink.builder().port(2503).start();
        assertThat(Processes.isPortOpen(sink.address(), 2503)).isTrue();

        sink.close();

        assertThat(Processes.isPortOpen(sink.address(), 2503)).isFalse();
    }
}
