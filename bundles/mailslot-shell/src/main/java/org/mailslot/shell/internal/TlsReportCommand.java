package org.mailslot.shell.internal;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.tlsrpt.TlsReportRun;
import org.mailslot.api.tlsrpt.TlsReports;

@Service
@Command(scope = "mailslot", name = "tls-report",
        description = "Makes the TLS reports (RFC 8460) of a UTC day, one per recipient domain, from the TLS outcomes"
                + " of MX delivery; with --send, sends them to the rua of each domain's _smtp._tls TXT record (by mail"
                + " and HTTPS POST), as the daily run does.")
public class TlsReportCommand implements Action {

    @Reference(optional = true)
    TlsReports reports;

    @Option(name = "--date", description = "The UTC day, YYYY-MM-DD; today (the sessions counted so far) by default")
    String date;

    @Option(name = "--send", description = "Send the reports to each domain's rua")
    boolean send;

    @Option(name = "--json", description = "Print each report's JSON, one a line, instead of the table")
    boolean json;

    @Override
    public Object execute() {
        if (reports == null) {
            throw new IllegalStateException("TLS reports are not available: the mailslot-tlsrpt bundle is not running");
        }
        LocalDate day;
        try {
            day = date == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(date.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--date " + date + " is not YYYY-MM-DD");
        }
        List<TlsReportRun> runs = reports.report(day, send);
        if (json) {
            runs.forEach(run -> System.out.println(run.json()));
            return null;
        }
        if (runs.isEmpty()) {
            System.out.println("No TLS session counted on " + day + " (UTC).");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Domain");
        table.column("Successful").alignRight();
        table.column("Failed").alignRight();
        table.column("Report-ID");
        if (send) {
            table.column("Sent");
        }
        for (TlsReportRun run : runs) {
            var row = table.addRow();
            row.addContent(run.policyDomain(), run.successes(), run.failures(), run.reportId());
            if (send) {
                row.addContent(String.join("; ", run.destinations()));
            }
        }
        table.print(System.out);
        return null;
    }
}
