package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.pipeline.MessageProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The outbound pipeline's stages in the order the spool runs them: highest service.ranking first. */
final class PipelineRows {

    record Row(int position, String name, int ranking, String bundle) {
    }

    private PipelineRows() {
    }

    static List<Row> of(BundleContext context) {
        List<ServiceReference<MessageProcessor>> references;
        try {
            Collection<ServiceReference<MessageProcessor>> found = context.getServiceReferences(MessageProcessor.class,
                    null);
            references = new ArrayList<>(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        // ServiceReference orders by ranking, then by age; the spool runs the greatest first.
        references.sort((a, b) -> b.compareTo(a));
        List<Row> rows = new ArrayList<>();
        for (ServiceReference<MessageProcessor> reference : references) {
            Object name = reference.getProperty(MessageProcessor.NAME);
            Object ranking = reference.getProperty("service.ranking");
            rows.add(new Row(rows.size() + 1, name == null ? "(unnamed)" : name.toString(),
                    ranking instanceof Integer i ? i : 0, reference.getBundle() == null ? "-"
                            : reference.getBundle().getSymbolicName()));
        }
        return rows;
    }

    static void print(List<Row> rows, PrintStream out) {
        out.println("Outbound pipeline (run in this order before each delivery):");
        ShellTable table = new ShellTable();
        table.column("#").alignRight();
        table.column("Stage");
        table.column("Ranking").alignRight();
        table.column("Bundle");
        rows.forEach(row -> table.addRow().addContent(row.position(), row.name(), row.ranking(), row.bundle()));
        table.print(out);
    }
}
