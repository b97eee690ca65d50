package org.mailslot.shell.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.support.mail.HeaderOctets;

@Service
@Command(scope = "mailslot", name = "queue-show",
        description = "Shows one message of the spool, as postcat does: its envelope, what it waits for, each recipient's"
                + " state and last reply, its header, its history in the mail log, and with --body its body.")
public class QueueShowCommand implements Action {

    /** A header larger than this is cut: the spool takes messages of any header size. */
    static final int MAX_HEADER = 256 * 1024;

    @Reference(optional = true)
    MailQueue queue;

    @Argument(index = 0, name = "id", description = "The message's queue id, as mailslot:queue shows it", required = true)
    @Completion(QueueIdCompleter.class)
    String id;

    @Option(name = "--body", description = "Print the body after the header")
    boolean body;

    @Option(name = "--json", description = "Print one JSON object instead of the text (fields: README.md, Scripting the shell)")
    boolean json;

    /** Where the mail log is; tests set it. */
    MailLogHistory history = MailLogHistory.ofKaraf();

    @Override
    public Object execute() throws IOException {
        MailQueue queue = Services.require(this.queue, MailQueue.class, "mailslot-spool");
        QueueEntry entry = queue.entry(id).orElseThrow(() -> new IllegalArgumentException("No message " + id + " in the queue"));
        MessageSource content = queue.content(id)
                .orElseThrow(() -> new IllegalArgumentException("No message " + id + " in the queue"));
        byte[] header = null;
        byte[] bodyOctets = null;
        String unreadable = null;
        InputStream octets;
        try {
            octets = content.open();
        } catch (IOException e) {
            // A store shared by several nodes cannot read a message another node is delivering: its state is
            // shown all the same, and why the octets are not.
            octets = null;
            unreadable = e.getMessage();
        }
        if (octets != null) {
            try (InputStream in = new BufferedInputStream(octets)) {
                header = HeaderOctets.read(in, MAX_HEADER);
                if (body) {
                    bodyOctets = in.readAllBytes();
                }
            }
        }
        List<String> lines = history.of(entry.id(), entry.acceptedAt());
        PrintStream out = System.out;
        if (json) {
            out.println(JsonForms.queueShow(entry, header == null ? null : text(header),
                    bodyOctets == null ? null : text(bodyOctets), unreadable, history.file().toString(), lines));
            return null;
        }
        envelope(entry, out);
        out.println();
        if (header == null) {
            out.println("Header: not readable now: " + unreadable);
        } else {
            out.println("Header:");
            out.print(text(header));
        }
        if (bodyOctets != null) {
            out.println();
            out.println("Body:");
            out.print(text(bodyOctets));
        }
        out.println();
        out.println("History (" + history.file() + "):" + (lines.isEmpty() ? " nothing logged yet" : ""));
        lines.forEach(out::println);
        return null;
    }

    static void envelope(QueueEntry entry, PrintStream out) {
        out.println("Message " + entry.id());
        ShellTable table = new ShellTable();
        table.noHeaders();
        table.column("Item");
        table.column("Value");
        table.addRow().addContent("sender", "<" + entry.sender().map(MailAddress::toString).orElse("") + ">");
        table.addRow().addContent("size", entry.size() + " octets");
        table.addRow().addContent("accepted", entry.acceptedAt());
        table.addRow().addContent("attempts", entry.attempts());
        table.addRow().addContent("next attempt", entry.held() ? "held"
                : entry.nextAttempt().map(Object::toString).orElse("delivering"));
        entry.waiting().ifPresent(waiting -> table.addRow().addContent("waiting for",
                waiting.reason().name() + ": " + waiting.detail()));
        table.print(out);
        out.println();
        out.println("Recipients:");
        ShellTable recipients = new ShellTable();
        recipients.column("Recipient");
        recipients.column("State");
        recipients.column("Last reply");
        for (RecipientState recipient : entry.recipients()) {
            recipients.addRow().addContent(recipient.address(), recipient.status().name().toLowerCase(),
                    recipient.lastReply().orElse(""));
        }
        recipients.print(out);
    }

    /**
     * Octets as lines for a terminal: UTF-8 where they are (else replaced), CRLF as a line end, and every
     * other control character as {@code ?}, so that a message cannot send escape sequences to the operator's terminal.
     */
    static String text(byte[] octets) {
        String text = new String(octets, StandardCharsets.UTF_8).replace("\r\n", "\n");
        StringBuilder safe = new StringBuilder(text.length() + 1);
        text.codePoints().forEach(c -> {
            if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
                safe.appendCodePoint(c);
            } else {
                safe.append('?');
            }
        });
        if (safe.length() > 0 && safe.charAt(safe.length() - 1) != '\n') {
            safe.append('\n');
        }
        return safe.toString();
    }
}
