package org.mailslot.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.mailslot.api.spool.MailQueue;

/** The queue commands that act on one message by its id: hold, release, delete. */
abstract class QueueIdAction implements Action {

    @Reference(optional = true)
    MailQueue queue;

    @Argument(index = 0, name = "id", description = "The message's queue id, as mailslot:queue shows it", required = true)
    @Completion(QueueIdCompleter.class)
    String id;

    /** @return false if the queue has no message with that id */
    abstract boolean apply(MailQueue queue, String id);

    /** @return what was done, for "Held ID" */
    abstract String done();

    @Override
    public Object execute() {
        if (!apply(Services.require(queue, MailQueue.class, "mailslot-spool"), id)) {
            throw new IllegalArgumentException("No message " + id + " in the queue");
        }
        System.out.println(done() + " " + id);
        return null;
    }
}
