package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;

@Service
@Command(scope = "mailslot", name = "queue",
        description = "Lists the messages in the spool, one line per recipient: its state, the attempts, the next attempt and"
                + " the last error; all of them, or those a selection matches, a page at a time with --offset and --limit.")
public class QueueCommand extends QueueSelection {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    // Optional, so that one missing service does not hold back every command of this bundle.
    @Reference(optional = true)
    MailQueue queue;

    @Argument(index = 0, name = "id", description = "Show only this message")
    @Completion(QueueIdCompleter.class)
    String id;

    @Option(name = "--json", description = "Print one JSON object instead of the table (fields: README.md, Scripting the shell)")
    boolean json;

    @Option(name = "--offset", description = "Skip this many of the messages selected, oldest first (default 0)")
    int offset;

    @Option(name = "--limit", description = "Show at most this many messages (default: all)")
    int limit;

    @Override
    public Object execute() {
        MailQueue queue = Services.require(this.queue, MailQueue.class, "mailslot-spool");
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("--offset and --limit must not be negative");
        }
        List<QueueEntry> matching = id == null ? selected(queue) : queue.entry(id).map(List::of)
                .orElseThrow(() -> new IllegalArgumentException("No message " + id + " in the queue"));
        int from = Math.min(offset, matching.size());
        int to = limit == 0 ? matching.size() : (int) Math.min(matching.size(), (long) from + limit);
        List<QueueEntry> page = matching.subList(from, to);
        if (json) {
            System.out.println(JsonForms.queue(matching.size(), from, page));
            return null;
        }
        print(page, System.out);
        if (page.size() < matching.size()) {
            System.out.println("Messages " + (page.isEmpty() ? from : from + 1) + " to " + to + " of " + matching.size()
                    + (to < matching.size() ? " (--offset " + to + " for the next)" : ""));
        }
        return null;
    }

    static void print(List<QueueEntry> entries, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Sender");
        table.column("Recipient");
        table.column("State");
        table.column("Attempts").alignRight();
        table.column("Next attempt");
        table.column("Size").alignRight();
        table.column("Last error");
        for (QueueEntry entry : entries) {
            // No next attempt and not held: one is under way (QueueEntry.nextAttempt).
            String next = entry.held() ? "held" : entry.nextAttempt().map(QueueCommand::time).orElse("delivering");
            for (RecipientState recipient : entry.recipients()) {
                String error = recipient.status() == RecipientState.Status.DELIVERED ? ""
                        : recipient.lastReply().orElse(entry.lastError().orElse(""));
                table.addRow().addContent(entry.id(), "<" + entry.sender().map(MailAddress::toString).orElse("") + ">",
                        recipient.address(), recipient.status().name().toLowerCase(), entry.attempts(), next, entry.size(), error);
            }
        }
        table.print(out);
        out.println(entries.size() + (entries.size() == 1 ? " message" : " messages"));
    }

    private static String time(Instant instant) {
        return TIME.format(instant);
    }
}
