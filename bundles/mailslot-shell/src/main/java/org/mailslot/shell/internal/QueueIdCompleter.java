package org.mailslot.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;

/** Completes the ids of the messages in the spool. */
@Service
public class QueueIdCompleter implements Completer {

    @Reference(optional = true)
    MailQueue queue;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        MailQueue queue = this.queue;
        if (queue == null) {
            return -1;
        }
        StringsCompleter ids = new StringsCompleter(queue.list().stream().map(QueueEntry::id).toList());
        return ids.complete(session, commandLine, candidates);
    }
}
