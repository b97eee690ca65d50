package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.spool.MailQueue;

@Service
@Command(scope = "mailslot", name = "queue-flush", description = "Tries messages that are not held now, ignoring their"
        + " backoff: one by its id, those a selection matches, or without either every message, resuming suspended"
        + " destinations too.")
public class QueueFlushCommand extends QueueIdAction {

    @Override
    boolean apply(MailQueue queue, String id) {
        return queue.flush(id);
    }

    @Override
    Integer everything(MailQueue queue) {
        return queue.flush();
    }

    @Override
    String done() {
        return "Flushed";
    }
}
