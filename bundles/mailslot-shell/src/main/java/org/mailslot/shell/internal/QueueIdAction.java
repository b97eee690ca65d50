package org.mailslot.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;

/**
 * The queue commands that act on messages: one by its id, or every message a selection
 * ({@code --domain}, {@code --reason}, {@code --older-than}, {@code --held}) matches.
 */
abstract class QueueIdAction extends QueueSelection {

    @Reference(optional = true)
    MailQueue queue;

    @Argument(index = 0, name = "id", description = "The message's queue id, as mailslot:queue shows it; or none, with a"
            + " selection (--domain, --reason, --older-than, --held)")
    @Completion(QueueIdCompleter.class)
    String id;

    /** @return false if the queue has no message with that id */
    abstract boolean apply(MailQueue queue, String id);

    /** @return what was done, for "Held ID" */
    abstract String done();

    /**
     * Acts on every message when neither an id nor a selection is given.
     *
     * @return how many messages it acted on, or null if this command refuses to act on all at once
     */
    Integer everything(MailQueue queue) {
        return null;
    }

    @Override
    public Object execute() {
        MailQueue queue = Services.require(this.queue, MailQueue.class, "mailslot-spool");
        QueueFilter filter = filter();
        if (id != null) {
            if (!filter.all()) {
                throw new IllegalArgumentException("Give a message's id or a selection (--domain, --reason, --older-than,"
                        + " --held), not both");
            }
            if (!apply(queue, id)) {
                throw new IllegalArgumentException("No message " + id + " in the queue");
            }
            System.out.println(done() + " " + id);
            return null;
        }
        if (filter.all()) {
            Integer count = everything(queue);
            if (count == null) {
                throw new IllegalArgumentException("Give a message's id, or a selection (--domain, --reason, --older-than,"
                        + " --held) of the messages to act on");
            }
            System.out.println(done() + " " + messages(count));
            return null;
        }
        List<QueueEntry> chosen = selected(queue);
        Progress progress = new Progress(System.out);
        int count = 0;
        for (int i = 0; i < chosen.size(); i++) {
            if (apply(queue, chosen.get(i).id())) {
                count++;
            }
            int sofar = i + 1;
            progress.report(() -> "... " + sofar + " of " + chosen.size());
        }
        System.out.println(done() + " " + messages(count));
        return null;
    }

    static String messages(int count) {
        return count + (count == 1 ? " message" : " messages");
    }
}
