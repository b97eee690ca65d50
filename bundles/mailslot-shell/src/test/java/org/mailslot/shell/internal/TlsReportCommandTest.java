package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailslot.api.tlsrpt.TlsReportRun;
import org.mailslot.api.tlsrpt.TlsReports;

class TlsReportCommandTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<String> asked = new ArrayList<>();
    private PrintStream originalOut;

    private final TlsReports reports = (day, send) -> {
        asked.add(day + " " + send);
        return List.of(new TlsReportRun(day, "sts.test", day + "T00:00:00Z_sts.test@mx.test", 3, 1, "{\"report-id\":\"x\"}",
                send ? List.of("mailto:tlsrpt@sts.test: queued as 17") : List.of()));
    };

    @BeforeEach
    void captureOut() {
        originalOut = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOut() {
        System.setOut(originalOut);
    }

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsOneRowPerDomainOfTheDayAsked() {
        TlsReportCommand command = new TlsReportCommand();
        command.reports = reports;
        command.date = "2026-12-06";

        command.execute();

        assertThat(asked).containsExactly("2026-12-06 false");
        assertThat(out()).contains("Domain", "Successful", "Failed", "sts.test", "2026-12-06T00:00:00Z_sts.test@mx.test")
                .doesNotContain("Sent");
    }

    @Test
    void sendsAndSaysWhereToWithSend() {
        TlsReportCommand command = new TlsReportCommand();
        command.reports = reports;
        command.send = true;

        command.execute();

        assertThat(asked).containsExactly(LocalDate.now(java.time.ZoneOffset.UTC) + " true");
        assertThat(out()).contains("mailto:tlsrpt@sts.test: queued as 17");
    }

    @Test
    void printsTheJsonWithJson() {
        TlsReportCommand command = new TlsReportCommand();
        command.reports = reports;
        command.json = true;

        command.execute();

        assertThat(out()).isEqualTo("{\"report-id\":\"x\"}" + System.lineSeparator());
    }

    @Test
    void aBadDateOrNoServiceIsAClearError() {
        TlsReportCommand command = new TlsReportCommand();
        assertThatThrownBy(command::execute).hasMessageContaining("mailslot-tlsrpt bundle is not running");
        command.reports = reports;
        command.date = "7 Dec";
        assertThatThrownBy(command::execute).hasMessageContaining("--date 7 Dec is not YYYY-MM-DD");
    }
}
