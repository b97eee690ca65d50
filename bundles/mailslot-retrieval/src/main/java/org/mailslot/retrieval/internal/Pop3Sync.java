package org.mailslot.retrieval.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;

import org.eclipse.angus.mail.pop3.POP3Folder;

/**
 * One POP3 session: UIDL lists what the server holds; messages whose UIDL is not recorded are
 * retrieved (RETR streamed into memory once), made durable by a {@link MessageWriter}, and only
 * then, with {@code after.handoff=delete}, marked DELE, which the server carries out at QUIT. A
 * message left on the server is known by its UIDL and never retrieved again.
 */
final class Pop3Sync {

    static final String FOLDER = "INBOX";

    private final AccountSettings settings;
    private final StateStore state;
    private final MessageWriter writer;
    private final Runnable afterBatch;

    Pop3Sync(AccountSettings settings, StateStore state, MessageWriter writer, Runnable afterBatch) {
        this.settings = settings;
        this.state = state;
        this.writer = writer;
        this.afterBatch = afterBatch;
    }

    /** @return the number of messages recorded */
    int sync(Store store) throws MessagingException, IOException {
        boolean delete = settings.after() == AfterHandOff.DELETE;
        POP3Folder inbox = (POP3Folder) store.getFolder(FOLDER);
        inbox.open(delete ? Folder.READ_WRITE : Folder.READ_ONLY);
        boolean expunge = false;
        List<StateStore.Key> toDelete = new ArrayList<>();
        int recorded = 0;
        try {
            Message[] messages = inbox.getMessages();
            FetchProfile uidl = new FetchProfile();
            uidl.add(UIDFolder.FetchProfileItem.UID);
            inbox.fetch(messages, uidl);
            List<Message> marked = new ArrayList<>();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
            for (Message message : messages) {
                String id = inbox.getUID(message);
                if (id == null) {
                    throw new MessagingException("the server gave no UIDL for message " + message.getMessageNumber()
                            + "; without UIDL a message cannot be fetched exactly once");
                }
                StateStore.Key key = new StateStore.Key(FOLDER, id);
                if (!state.isStored(key)) {
                    buffer.reset();
                    message.writeTo(buffer);
                    byte[] bytes = buffer.toByteArray();
                    writer.add(key, 0, message.getMessageNumber(), LocalMaildir.fileName("pop3", id), bytes, 0,
                            bytes.length, false);
                    if (writer.size() >= settings.batchSize()) {
                        recorded += writer.commit().size();
                        afterBatch.run();
                    }
                }
                if (delete && !state.isActioned(key)) {
                    marked.add(message);
                    toDelete.add(key);
                }
            }
            if (!writer.isEmpty()) {
                recorded += writer.commit().size();
                afterBatch.run();
            }
            // Only now is every marked message recorded: DELE them, carried out at QUIT.
            for (Message message : marked) {
                message.setFlag(Flags.Flag.DELETED, true);
            }
            expunge = !marked.isEmpty();
        } finally {
            inbox.close(expunge);
        }
        if (!toDelete.isEmpty()) {
            state.recordActioned(toDelete);
        }
        return recorded;
    }
}
