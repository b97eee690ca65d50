package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.spool.MailQueue;

@Service
@Command(scope = "mailslot", name = "queue-delete", description = "Removes messages from the spool without delivering them and without a bounce: one by its id, or"
        + " those a selection matches.")
public class QueueDeleteCommand extends QueueIdAction {

    @Override
    boolean apply(MailQueue queue, String id) {
        return queue.delete(id);
    }

    @Override
    String done() {
        return "Deleted";
    }
}
