package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import jakarta.mail.MessagingException;

import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * Synchronises one open IMAP folder: new UIDs are fetched with {@code UID FETCH ... BODY.PEEK[]}
 * (no flag changes), made durable by a {@link MessageWriter}, and only then is the after-hand-off
 * action done on the server, in the same batch. The raw protocol is used through {@link
 * IMAPFolder#doCommand}, so Angus keeps its session state (untagged EXPUNGE and EXISTS are passed
 * to the folder).
 *
 * <p>Identity is {@code UIDVALIDITY/UID}. UIDs are assigned in ascending order, so everything up
 * to the highest UID stored under the current UIDVALIDITY has been seen. When UIDVALIDITY changes,
 * every message is looked at again and a message whose content was stored under an earlier
 * UIDVALIDITY is recorded as the same message, not handed off again. A message expunged by another
 * client before it was fetched is simply not returned by the server.
 */
final class ImapSync {

    private final AccountSettings settings;
    private final StateStore state;
    private final MessageWriter writer;
    private final Runnable afterBatch;
    private final Executor committer;

    /**
     * @param committer where a batch is made durable while the next one is fetched (one thread)
     */
    ImapSync(AccountSettings settings, StateStore state, MessageWriter writer, Runnable afterBatch, Executor committer) {
        this.settings = settings;
        this.state = state;
        this.writer = writer;
        this.afterBatch = afterBatch;
        this.committer = committer;
    }

    /** @return the number of messages recorded (new or found again) */
    int sync(IMAPFolder folder) throws MessagingException, IOException {
        String name = folder.getFullName();
        long validity = folder.getUIDValidity();
        if (state.validity(name).map(v -> v != validity).orElse(true)) {
            state.recordValidity(name, validity);
        }
        finishActions(folder, name, validity);
        long from = state.highestUid(name) + 1;
        List<Long> uids = search(folder, from);
        int recorded = 0;
        // Batch n is made durable while batch n+1 is fetched; its server action waits for its record.
        CompletableFuture<List<StateStore.Key>> inFlight = null;
        try {
            for (int i = 0; i < uids.size(); i += settings.batchSize()) {
                fetchBatch(folder, name, validity, uids.subList(i, Math.min(uids.size(), i + settings.batchSize())));
                MessageWriter.Batch batch = writer.take();
                if (inFlight != null) {
                    recorded += finish(folder, inFlight);
                    inFlight = null;
                }
                if (!batch.isEmpty()) { // empty: every one expunged meanwhile
                    inFlight = CompletableFuture.supplyAsync(() -> {
                        try {
                            return writer.commit(batch);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, committer);
                }
            }
            if (inFlight != null) {
                recorded += finish(folder, inFlight);
                inFlight = null;
            }
        } finally {
            if (inFlight != null) {
                inFlight.handle((keys, failure) -> null).join(); // never leave a commit running behind a failure
            }
        }
        return recorded;
    }

    /** Waits for a batch's record, then hands off and acts on the server. @return messages recorded */
    private int finish(IMAPFolder folder, CompletableFuture<List<StateStore.Key>> commit)
            throws MessagingException, IOException {
        List<StateStore.Key> keys;
        try {
            keys = commit.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
        afterBatch.run();
        if (settings.after() != AfterHandOff.LEAVE) {
            act(folder, keys.stream().map(k -> Long.parseLong(k.id().substring(k.id().indexOf('/') + 1))).toList());
            state.recordActioned(keys);
        }
        return keys.size();
    }

    /** The actions of an earlier session that ended between a record and its action. */
    private void finishActions(IMAPFolder folder, String name, long validity) throws MessagingException, IOException {
        if (settings.after() == AfterHandOff.LEAVE) {
            return;
        }
        List<StateStore.Stored> open = state.notActioned(name).stream().filter(s -> s.validity() == validity).toList();
        if (!open.isEmpty()) {
            act(folder, open.stream().map(StateStore.Stored::uid).toList());
            state.recordActioned(open.stream().map(StateStore.Stored::key).toList());
        }
    }

    private List<Long> search(IMAPFolder folder, long from) throws MessagingException {
        return command(folder, "UID SEARCH UID " + from + ":*", responses -> {
            List<Long> uids = new ArrayList<>();
            for (Response r : responses) {
                if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    String atom;
                    while ((atom = ir.readAtom()) != null && !atom.isEmpty()) {
                        long uid = Long.parseLong(atom);
                        if (uid >= from) { // "n:*" names the highest UID even when it is below n
                            uids.add(uid);
                        }
                    }
                }
            }
            uids.sort(null);
            return uids;
        });
    }

    private void fetchBatch(IMAPFolder folder, String name, long validity, List<Long> uids)
            throws MessagingException, IOException {
        java.util.Set<Long> wanted = new java.util.HashSet<>(uids);
        try {
            command(folder, "UID FETCH " + uidSet(uids) + " (UID BODY.PEEK[])", responses -> {
                for (Response r : responses) {
                    if (r instanceof FetchResponse fetch) {
                        UID uid = fetch.getItem(UID.class);
                        BODY body = fetch.getItem(BODY.class);
                        if (uid != null && body != null && wanted.remove(uid.uid)
                                && !state.isStored(key(name, validity, uid.uid))) {
                            ByteArray bytes = body.getByteArray();
                            try {
                                writer.add(key(name, validity, uid.uid), validity, uid.uid,
                                        LocalMaildir.fileName(name, Long.toString(validity), Long.toString(uid.uid)),
                                        bytes.getBytes(), bytes.getStart(), bytes.getCount(), true);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }
                }
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void act(IMAPFolder folder, List<Long> uids) throws MessagingException {
        String set = uidSet(uids);
        switch (settings.after()) {
            case LEAVE -> {
            }
            case SEEN -> simple(folder, "UID STORE " + set + " +FLAGS.SILENT (\\Seen)");
            case DELETE -> delete(folder, set);
            case MOVE -> {
                String target = quoted(BASE64MailboxEncoder.encode(settings.moveTo()));
                if (hasCapability(folder, "MOVE")) {
                    simple(folder, "UID MOVE " + set + " " + target);
                } else {
                    simple(folder, "UID COPY " + set + " " + target);
                    delete(folder, set);
                }
            }
        }
    }

    private void delete(IMAPFolder folder, String set) throws MessagingException {
        simple(folder, "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
        simple(folder, hasCapability(folder, "UIDPLUS") ? "UID EXPUNGE " + set : "EXPUNGE");
    }

    private static boolean hasCapability(IMAPFolder folder, String capability) throws MessagingException {
        return (Boolean) folder.doCommand(p -> p.hasCapability(capability));
    }

    private static void simple(IMAPFolder folder, String command) throws MessagingException {
        command(folder, command, responses -> null);
    }

    private interface ResponsesReader<T> {
        T read(Response[] responses) throws ProtocolException;
    }

    @SuppressWarnings("unchecked")
    private static <T> T command(IMAPFolder folder, String command, ResponsesReader<T> reader) throws MessagingException {
        return (T) folder.doCommand((IMAPProtocol p) -> {
            Response[] responses = p.command(command, null);
            Response result = responses[responses.length - 1];
            T value = result.isOK() ? reader.read(responses) : null;
            p.notifyResponseHandlers(responses);
            p.handleResult(result);
            return value;
        });
    }

    static StateStore.Key key(String folder, long validity, long uid) {
        return new StateStore.Key(folder, validity + "/" + uid);
    }

    /** @return the UIDs as an IMAP sequence set, runs collapsed ({@code 1:5,8}) */
    static String uidSet(List<Long> uids) {
        List<Long> sorted = new ArrayList<>(uids);
        sorted.sort(null);
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            long first = sorted.get(i);
            long last = first;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == last + 1) {
                last = sorted.get(++i);
            }
            if (set.length() > 0) {
                set.append(',');
            }
            set.append(first);
            if (last != first) {
                set.append(':').append(last);
            }
        }
        return set.toString();
    }

    static String quoted(String mailbox) {
        return '"' + mailbox.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
