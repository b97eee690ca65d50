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
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * UIDVALIDITY is recorded as the same message, not handed off again.
 *
 * <p>New UIDs and their {@code RFC822.SIZE} are listed first, so that each {@code UID FETCH} is
 * bounded by {@code batch.size} messages and {@code batch.bytes} octets (Angus holds a command's
 * whole response in memory). A message expunged by another client before it was fetched is
 * simply gone: what a short FETCH (or {@code NO [EXPUNGEISSUED]}) did return is stored, and a UID
 * it left out is looked up again; only one the server still holds stops the sync, and no later
 * UID of that batch is recorded before it, so nothing is skipped.
 *
 * <p>Without UIDPLUS, {@code EXPUNGE} removes every {@code \Deleted} message of the folder, so it
 * is sent only when {@code UID SEARCH DELETED} finds nothing but messages Mailslot stored; else
 * ours stay flagged (expunged at a later sync) and a notice says why.
 */
final class ImapSync {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSync.class);

    private final AccountSettings settings;
    private final StateStore state;
    private final MessageWriter writer;
    private final Runnable afterBatch;
    private final Executor committer;
    private final List<String> notices = new ArrayList<>();

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

    /** @return what the syncs so far could not do and left for later, for the account's status */
    List<String> notices() {
        return List.copyOf(notices);
    }

    /** A new message on the server. */
    record Candidate(long uid, long size) {
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
        List<List<Long>> batches = batches(candidates(folder, from));
        int recorded = 0;
        // Batch n is made durable while batch n+1 is fetched; its server action waits for its record.
        CompletableFuture<List<StateStore.Key>> inFlight = null;
        try {
            for (List<Long> uids : batches) {
                MessagingException failure = fetchBatch(folder, name, validity, uids);
                MessageWriter.Batch batch = writer.take();
                if (inFlight != null) {
                    recorded += finish(folder, name, validity, inFlight);
                    inFlight = null;
                }
                if (!batch.isEmpty()) { // empty: every one expunged meanwhile
                    inFlight = commit(batch);
                }
                if (failure != null) {
                    // What did arrive is kept: recorded (and acted on while the session lasts) before giving up.
                    if (inFlight != null) {
                        CompletableFuture<List<StateStore.Key>> last = inFlight;
                        inFlight = null;
                        try {
                            recorded += finish(folder, name, validity, last);
                        } catch (MessagingException e) {
                            failure.addSuppressed(e);
                        }
                    }
                    throw failure;
                }
            }
            if (inFlight != null) {
                recorded += finish(folder, name, validity, inFlight);
                inFlight = null;
            }
        } finally {
            if (inFlight != null) {
                inFlight.handle((keys, failure) -> null).join(); // never leave a commit running behind a failure
            }
        }
        return recorded;
    }

    private CompletableFuture<List<StateStore.Key>> commit(MessageWriter.Batch batch) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return writer.commit(batch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, committer);
    }

    /** Splits the candidates into fetch commands of at most batch.size messages and batch.bytes octets. */
    List<List<Long>> batches(List<Candidate> candidates) {
        List<List<Long>> batches = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        long bytes = 0;
        for (Candidate c : candidates) {
            if (!current.isEmpty() && (current.size() >= settings.batchSize() || bytes + c.size() > settings.batchBytes())) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(c.uid());
            bytes += c.size();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Waits for a batch's record, then hands off and acts on the server. @return messages recorded */
    private int finish(IMAPFolder folder, String name, long validity, CompletableFuture<List<StateStore.Key>> commit)
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
            act(folder, name, validity, keys.stream().map(k -> Long.parseLong(k.id().substring(k.id().indexOf('/') + 1)))
                    .toList());
            state.recordActioned(keys);
        }
        return keys.size();
    }

    /**
     * The actions of an earlier session that ended between a record and its action, and an
     * expunge that had to wait for another client's \Deleted messages to go.
     */
    private void finishActions(IMAPFolder folder, String name, long validity) throws MessagingException, IOException {
        if (settings.after() == AfterHandOff.LEAVE) {
            return;
        }
        List<StateStore.Stored> open = state.notActioned(name).stream().filter(s -> s.validity() == validity).toList();
        if (!open.isEmpty()) {
            act(folder, name, validity, open.stream().map(StateStore.Stored::uid).toList());
            state.recordActioned(open.stream().map(StateStore.Stored::key).toList());
        } else if (expungesByFolder(folder)) {
            expungeIfOnlyOurs(folder, name, validity);
        }
    }

    /** @return whether this account's actions need a folder-wide EXPUNGE on this server */
    private boolean expungesByFolder(IMAPFolder folder) throws MessagingException {
        boolean deletes = settings.after() == AfterHandOff.DELETE
                || settings.after() == AfterHandOff.MOVE && !hasCapability(folder, "MOVE");
        return deletes && !hasCapability(folder, "UIDPLUS");
    }

    /** @return new UIDs from {@code from} on, ascending, with their sizes */
    private List<Candidate> candidates(IMAPFolder folder, long from) throws MessagingException {
        return command(folder, "UID FETCH " + from + ":* (UID RFC822.SIZE)", responses -> {
            List<Candidate> found = new ArrayList<>();
            for (Response r : responses) {
                if (r instanceof FetchResponse fetch) {
                    UID uid = fetch.getItem(UID.class);
                    RFC822SIZE size = fetch.getItem(RFC822SIZE.class);
                    if (uid != null && uid.uid >= from) { // "n:*" names the highest UID even when it is below n
                        found.add(new Candidate(uid.uid, size == null ? 0 : size.size));
                    }
                }
            }
            found.sort(java.util.Comparator.comparingLong(Candidate::uid));
            return found;
        });
    }

    private List<Long> search(IMAPFolder folder, String criteria) throws MessagingException {
        return command(folder, "UID SEARCH " + criteria, responses -> {
            List<Long> uids = new ArrayList<>();
            for (Response r : responses) {
                if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    String atom;
                    while ((atom = ir.readAtom()) != null && !atom.isEmpty()) {
                        uids.add(Long.parseLong(atom));
                    }
                }
            }
            uids.sort(null);
            return uids;
        });
    }

    /** A FETCH's result, whatever its status: the bodies that arrived and the failure, if any. */
    private record Fetched(List<FetchResponse> arrived, Response result, ProtocolException failure) {
    }

    /**
     * Fetches one batch into the writer: every message that arrived, up to the first UID the server
     * left out but still holds.
     *
     * @return why the sync must stop here (the connection broke, or a message that exists was not
     *     returned), or null when the batch is done
     */
    private MessagingException fetchBatch(IMAPFolder folder, String name, long validity, List<Long> uids)
            throws MessagingException, IOException {
        Fetched fetched = (Fetched) folder.doCommand((IMAPProtocol p) -> {
            Response[] responses = p.command("UID FETCH " + uidSet(uids) + " (UID BODY.PEEK[])", null);
            Response result = responses[responses.length - 1];
            List<FetchResponse> arrived = new ArrayList<>();
            for (Response r : responses) {
                if (r instanceof FetchResponse fetch) {
                    arrived.add(fetch);
                }
            }
            p.notifyResponseHandlers(responses);
            ProtocolException failure = null;
            try {
                p.handleResult(result);
            } catch (ProtocolException e) {
                failure = e;
            }
            return new Fetched(arrived, result, failure);
        });
        java.util.Map<Long, BODY> bodies = new java.util.TreeMap<>();
        java.util.Set<Long> wanted = new java.util.HashSet<>(uids);
        for (FetchResponse fetch : fetched.arrived()) {
            UID uid = fetch.getItem(UID.class);
            BODY body = fetch.getItem(BODY.class);
            if (uid != null && body != null && wanted.contains(uid.uid)) {
                bodies.put(uid.uid, body);
            }
        }
        List<Long> missing = uids.stream().filter(uid -> !bodies.containsKey(uid)).toList();
        Response result = fetched.result();
        // NO (such as [EXPUNGEISSUED]) is judged by what is missing; BAD and BYE stop the sync.
        MessagingException failure = result.isBAD() || result.isBYE()
                ? new MessagingException("UID FETCH: " + fetched.failure().getMessage(), fetched.failure()) : null;
        List<Long> stillThere = List.of();
        if (!missing.isEmpty()) {
            if (result.isBYE()) {
                stillThere = missing; // no way to ask: as if every one were still there
            } else {
                try {
                    stillThere = search(folder, "UID " + uidSet(missing));
                } catch (MessagingException e) {
                    stillThere = missing;
                    failure = failure != null ? failure : e;
                }
            }
            int gone = missing.size() - stillThere.size();
            if (gone > 0) {
                LOG.info("Account {}: {} of {} messages in {} were expunged by another client before they were fetched",
                        settings.name(), gone, uids.size(), name);
            }
            if (!stillThere.isEmpty() && failure == null) {
                failure = new MessagingException("the server did not return UIDs " + uidSet(stillThere) + " of " + name
                        + ", which it still holds (" + result + "); they are fetched again");
            }
        }
        long cut = stillThere.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        for (java.util.Map.Entry<Long, BODY> e : bodies.entrySet()) {
            long uid = e.getKey();
            if (uid >= cut) {
                break;
            }
            if (!state.isStored(key(name, validity, uid))) {
                ByteArray bytes = e.getValue().getByteArray();
                writer.add(key(name, validity, uid), validity, uid,
                        LocalMaildir.fileName(name, Long.toString(validity), Long.toString(uid)),
                        bytes.getBytes(), bytes.getStart(), bytes.getCount(), true);
            }
        }
        return failure;
    }

    private void act(IMAPFolder folder, String name, long validity, List<Long> uids) throws MessagingException {
        String set = uidSet(uids);
        switch (settings.after()) {
            case LEAVE -> {
            }
            case SEEN -> simple(folder, "UID STORE " + set + " +FLAGS.SILENT (\\Seen)");
            case DELETE -> delete(folder, name, validity, set);
            case MOVE -> {
                String target = quoted(BASE64MailboxEncoder.encode(settings.moveTo()));
                if (hasCapability(folder, "MOVE")) {
                    simple(folder, "UID MOVE " + set + " " + target);
                } else {
                    simple(folder, "UID COPY " + set + " " + target);
                    delete(folder, name, validity, set);
                }
            }
        }
    }

    private void delete(IMAPFolder folder, String name, long validity, String set) throws MessagingException {
        simple(folder, "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
        if (hasCapability(folder, "UIDPLUS")) {
            simple(folder, "UID EXPUNGE " + set);
        } else {
            expungeIfOnlyOurs(folder, name, validity);
        }
    }

    /** EXPUNGE without UIDPLUS: only when every \Deleted message of the folder is one Mailslot stored. */
    private void expungeIfOnlyOurs(IMAPFolder folder, String name, long validity) throws MessagingException {
        List<Long> deleted = search(folder, "DELETED");
        List<Long> foreign = deleted.stream().filter(uid -> !state.isStored(key(name, validity, uid))).toList();
        if (foreign.isEmpty()) {
            if (!deleted.isEmpty()) {
                simple(folder, "EXPUNGE");
            }
            return;
        }
        long ours = deleted.size() - foreign.size();
        String notice = name + ": not expunged, since the server has no UIDPLUS and " + foreign.size()
                + " message(s) flagged \\Deleted by another client (UIDs " + uidSet(foreign) + ") would go too; "
                + ours + " of ours stay flagged \\Deleted until then";
        notices.add(notice);
        LOG.warn("Account {}: {}", settings.name(), notice);
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
