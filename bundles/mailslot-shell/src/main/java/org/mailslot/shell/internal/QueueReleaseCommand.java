package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.spool.MailQueue;

@Service
@Command(scope = "mailslot", name = "queue-release", description = "Lets a held message be delivered again, at once.")
public class QueueReleaseCommand implements Action {

    @Reference(optional = true)
    MailQueue queue;

    @Argument(index = 0, name = "id", description = "The message's queue id, as mailslot:queue shows it", required = true)
    @Completion(QueueIdCompleter.class)
    String id;

    @Override
    public Object execute() {
        if (!Services.require(queue, MailQueue.class, "mailslot-spool").release(id)) {
            throw new IllegalArgumentException("No message " + id + " in the queue");
        }
        System.out.println("Released " + id);
        return null;
    }
}
