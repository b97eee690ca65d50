package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.api.tls.TlsStatus;

/** The tables that more than one command prints. */
final class Tables {

    private Tables() {
    }

    static void components(List<ComponentStates.Row> rows, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Component");
        table.column("Bundle");
        table.column("State");
        table.column("Detail");
        rows.forEach(row -> table.addRow().addContent(row.component(), row.bundle(), row.state(), row.detail()));
        table.print(out);
    }

    static void portStrategies(List<PortStrategyRows.Row> rows, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Port").alignRight();
        table.column("Role");
        table.column("TLS");
        table.column("AUTH");
        table.column("Ranking").alignRight();
        table.column("In force");
        table.column("Origin");
        rows.forEach(row -> table.addRow().addContent(row.port(), row.role(), row.tlsMode(), row.authPolicy(),
                row.ranking(), row.inForce() ? "yes" : "no", row.origin()));
        table.print(out);
    }

    /** @param status the TLS service's status, or null when no TLS service is registered */
    static void tls(TlsStatus status, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Item");
        table.column("Value");
        if (status == null) {
            table.addRow().addContent("service", "missing: no TlsService registered (is mailslot-tls started?)");
        } else {
            TlsIdentity identity = status.identity().orElse(null);
            if (identity == null) {
                table.addRow().addContent("identity", "none: server TLS unavailable");
            } else {
                table.addRow().addContent("identity", identity.subject()
                        + (identity.selfSignedDefault() ? " (generated self-signed default)" : ""));
                table.addRow().addContent("issuer", identity.issuer());
                table.addRow().addContent("expires", identity.notAfter());
                table.addRow().addContent("source", identity.source());
            }
            table.addRow().addContent("protocols", String.join(", ", status.protocols()));
            status.lastError().ifPresent(error -> table.addRow().addContent("error",
                    error + status.lastErrorAt().map(at -> " (at " + at + ")").orElse("")));
        }
        table.print(out);
    }
}
