package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.spool.MailQueue;

@Service
@Command(scope = "mailslot", name = "queue-hold", description = "Stops delivery attempts until mailslot:queue-release: for one message by its id, or those a"
        + " selection matches.")
public class QueueHoldCommand extends QueueIdAction {

    @Override
    boolean apply(MailQueue queue, String id) {
        return queue.hold(id);
    }

    @Override
    String done() {
        return "Held";
    }
}
