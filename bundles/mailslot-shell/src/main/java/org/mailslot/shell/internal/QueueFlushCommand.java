package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.spool.MailQueue;

@Service
@Command(scope = "mailslot", name = "queue-flush", description = "Tries every message in the spool that is not held now, ignoring its backoff.")
public class QueueFlushCommand implements Action {

    @Reference(optional = true)
    MailQueue queue;

    @Override
    public Object execute() {
        int count = Services.require(queue, MailQueue.class, "mailslot-spool").flush();
        System.out.println("Flushed " + count + (count == 1 ? " message" : " messages"));
        return null;
    }
}
