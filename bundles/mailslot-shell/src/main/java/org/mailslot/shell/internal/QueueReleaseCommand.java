package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.spool.MailQueue;

@Service
@Command(scope = "mailslot", name = "queue-release", description = "Lets held messages be delivered again, at once: one by its id, or those a selection matches.")
public class QueueReleaseCommand extends QueueIdAction {

    @Override
    boolean apply(MailQueue queue, String id) {
        return queue.release(id);
    }

    @Override
    String done() {
        return "Released";
    }
}
