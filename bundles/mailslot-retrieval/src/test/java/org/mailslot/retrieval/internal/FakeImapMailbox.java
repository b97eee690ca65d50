package org.mailslot.retrieval.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small IMAP4rev1 server on 127.0.0.1 with real mailboxes (UIDs, flags, sequence numbers,
 * EXPUNGE), STARTTLS required before LOGIN, and the extensions a test chooses to offer (IDLE,
 * UIDPLUS, MOVE). For what Dovecot cannot be made to do on cue: a FETCH that comes back short
 * with {@code NO [EXPUNGEISSUED]}, a session dropped after a good sync. It records every command
 * line it receives and the bytes of every command's response.
 */
final class FakeImapMailbox implements AutoCloseable {

    static final class Message {
        final long uid;
        final byte[] bytes;
        final Set<String> flags = new TreeSet<>();

        Message(long uid, byte[] bytes) {
            this.uid = uid;
            this.bytes = bytes;
        }
    }

    static final class Mailbox {
        final long validity;
        long uidNext = 1;
        final List<Message> messages = new ArrayList<>();

        Mailbox(long validity) {
            this.validity = validity;
        }
    }

    final List<String> received = new CopyOnWriteArrayList<>();
    /** Response octets per FETCH command, in order. */
    final List<Integer> fetchResponseBytes = new CopyOnWriteArrayList<>();
    final AtomicInteger logins = new AtomicInteger();
    private final Map<String, Mailbox> mailboxes = new LinkedHashMap<>();
    private final Set<String> capabilities = ConcurrentHashMap.newKeySet();
    private final ServerSocket server;
    private final SSLContext tls;
    /** UIDs a UID FETCH leaves out, answering {@code NO [EXPUNGEISSUED]}, as if expunged meanwhile. */
    volatile LongPredicate vanishOnFetch = uid -> false;
    /** Whether the server closes the connection when it receives NOOP. */
    volatile boolean dropOnNoop;

    FakeImapMailbox(SSLContext tls, String... capabilities) throws IOException {
        this.tls = tls;
        this.capabilities.addAll(List.of(capabilities));
        mailboxes.put("INBOX", new Mailbox(1000));
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "fake-imap-mailbox");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    synchronized void create(String mailbox, long validity) {
        mailboxes.putIfAbsent(mailbox, new Mailbox(validity));
    }

    /** @return the new message's UID */
    synchronized long append(String mailbox, byte[] message, String... flags) {
        Mailbox box = mailboxes.get(mailbox);
        Message m = new Message(box.uidNext++, message);
        m.flags.addAll(List.of(flags));
        box.messages.add(m);
        return m.uid;
    }

    /** @return the UIDs in the mailbox, in order */
    synchronized List<Long> uids(String mailbox) {
        return mailboxes.get(mailbox).messages.stream().map(m -> m.uid).toList();
    }

    /** Removes a message as another client's EXPUNGE would (this fake tells no session). */
    synchronized void remove(String mailbox, long uid) {
        mailboxes.get(mailbox).messages.removeIf(m -> m.uid == uid);
    }

    /** @return the message's flags, to change as another client would */
    synchronized Set<String> flagsOf(String mailbox, long uid) {
        return mailboxes.get(mailbox).messages.stream().filter(m -> m.uid == uid).findFirst().orElseThrow().flags;
    }

    synchronized Set<String> flags(String mailbox, long uid) {
        return mailboxes.get(mailbox).messages.stream().filter(m -> m.uid == uid).findFirst()
                .map(m -> Set.copyOf(m.flags)).orElse(Set.of());
    }

    /** @return the command lines received that start with this command (after the tag), case-insensitive */
    List<String> commands(String command) {
        String prefix = command.toUpperCase(Locale.ROOT);
        return received.stream().map(l -> l.substring(l.indexOf(' ') + 1))
                .filter(l -> l.toUpperCase(Locale.ROOT).startsWith(prefix)).toList();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread session = new Thread(() -> {
                    try (socket) {
                        new Session(socket).run();
                    } catch (IOException e) {
                        // the client went away, or the test dropped it
                    }
                }, "fake-imap-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                // closed by the test
            }
        }
    }

    private final class Session {
        private Socket socket;
        private InputStream in;
        private boolean secure;
        private boolean loggedIn;
        private Mailbox selected;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        void run() throws IOException {
            write("* OK IMAP4rev1 fake mailbox ready\r\n");
            String line;
            while ((line = readLine()) != null) {
                received.add(line);
                String[] parts = line.split(" ", 3);
                String tag = parts[0];
                String command = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
                String args = parts.length > 2 ? parts[2] : "";
                if (command.equals("UID")) {
                    String[] sub = args.split(" ", 2);
                    if (!uid(tag, sub[0].toUpperCase(Locale.ROOT), sub.length > 1 ? sub[1] : "")) {
                        return;
                    }
                } else if (!command(tag, command, args)) {
                    return;
                }
            }
        }

        private boolean command(String tag, String command, String args) throws IOException {
            switch (command) {
                case "CAPABILITY" -> write("* CAPABILITY " + capabilityLine() + "\r\n" + tag + " OK done\r\n");
                case "STARTTLS" -> {
                    write(tag + " OK Begin TLS\r\n");
                    SSLSocket tlsSocket = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                            socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                    tlsSocket.setUseClientMode(false);
                    tlsSocket.startHandshake();
                    socket = tlsSocket;
                    in = new BufferedInputStream(socket.getInputStream());
                    secure = true;
                }
                case "LOGIN" -> {
                    if (!secure) {
                        write(tag + " NO TLS first\r\n");
                    } else {
                        loggedIn = true;
                        logins.incrementAndGet();
                        write(tag + " OK [CAPABILITY " + capabilityLine() + "] logged in\r\n");
                    }
                }
                case "NOOP" -> {
                    if (dropOnNoop) {
                        return false;
                    }
                    write(tag + " OK done\r\n");
                }
                case "LIST" -> list(tag, args);
                case "SELECT", "EXAMINE" -> select(tag, unquote(args), command.equals("EXAMINE"));
                case "IDLE" -> {
                    write("+ idling\r\n");
                    String done = readLine();
                    if (done == null) {
                        return false;
                    }
                    received.add(done);
                    write(tag + " OK idle done\r\n");
                }
                case "EXPUNGE" -> {
                    expunge(uid -> true, false);
                    write(tag + " OK expunged\r\n");
                }
                case "CLOSE" -> {
                    selected = null;
                    write(tag + " OK closed\r\n");
                }
                case "LOGOUT" -> {
                    write("* BYE bye\r\n" + tag + " OK done\r\n");
                    return false;
                }
                default -> write(tag + " OK done\r\n");
            }
            return true;
        }

        private String capabilityLine() {
            List<String> caps = new ArrayList<>(List.of("IMAP4rev1"));
            if (!secure) {
                caps.add("STARTTLS");
                caps.add("LOGINDISABLED");
            } else {
                synchronized (FakeImapMailbox.this) {
                    caps.addAll(new TreeSet<>(capabilities));
                }
            }
            return String.join(" ", caps);
        }

        private void list(String tag, String args) throws IOException {
            String pattern = unquote(args.substring(args.indexOf(' ') + 1).strip());
            StringBuilder out = new StringBuilder();
            synchronized (FakeImapMailbox.this) {
                for (String name : mailboxes.keySet()) {
                    if (pattern.equals("*") || pattern.equals("%") || pattern.equals(name)) {
                        out.append("* LIST () \"/\" ").append(name).append("\r\n");
                    }
                }
            }
            write(out + tag + " OK done\r\n");
        }

        private void select(String tag, String name, boolean readOnly) throws IOException {
            StringBuilder out = new StringBuilder();
            synchronized (FakeImapMailbox.this) {
                Mailbox box = mailboxes.get(name);
                if (box == null || !loggedIn) {
                    write(tag + " NO no such mailbox\r\n");
                    return;
                }
                selected = box;
                out.append("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n")
                        .append("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)] ok\r\n")
                        .append("* ").append(box.messages.size()).append(" EXISTS\r\n* 0 RECENT\r\n")
                        .append("* OK [UIDVALIDITY ").append(box.validity).append("] ok\r\n")
                        .append("* OK [UIDNEXT ").append(box.uidNext).append("] ok\r\n");
            }
            write(out + tag + " OK [" + (readOnly ? "READ-ONLY" : "READ-WRITE") + "] selected\r\n");
        }

        private boolean uid(String tag, String command, String args) throws IOException {
            switch (command) {
                case "SEARCH" -> search(tag, args);
                case "FETCH" -> fetch(tag, args);
                case "STORE" -> store(tag, args);
                case "EXPUNGE" -> {
                    Set<Long> set = parseSet(args.strip());
                    expunge(set::contains, false);
                    write(tag + " OK expunged\r\n");
                }
                case "COPY", "MOVE" -> copy(tag, args, command.equals("MOVE"));
                default -> write(tag + " BAD unknown UID command\r\n");
            }
            return true;
        }

        private void search(String tag, String args) throws IOException {
            StringBuilder out = new StringBuilder("* SEARCH");
            synchronized (FakeImapMailbox.this) {
                String upper = args.strip().toUpperCase(Locale.ROOT);
                for (Message m : selected.messages) {
                    boolean match = upper.equals("DELETED") ? m.flags.contains("\\Deleted")
                            : upper.startsWith("UID ") && inSet(args.strip().substring(4), m.uid);
                    if (match) {
                        out.append(' ').append(m.uid);
                    }
                }
            }
            write(out + "\r\n" + tag + " OK searched\r\n");
        }

        private void fetch(String tag, String args) throws IOException {
            String set = args.substring(0, args.indexOf(' '));
            String items = args.substring(args.indexOf(' ') + 1).toUpperCase(Locale.ROOT);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean vanished = false;
            synchronized (FakeImapMailbox.this) {
                List<Message> messages = List.copyOf(selected.messages); // the hook may change the mailbox
                long highest = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).uid;
                for (Message m : messages) {
                    if (!inSet(set, m.uid) && !(set.endsWith(":*") && m.uid == highest)) {
                        continue;
                    }
                    if (items.contains("BODY") && vanishOnFetch.test(m.uid)) {
                        vanished = true;
                        continue;
                    }
                    int seq = selected.messages.indexOf(m) + 1;
                    if (seq == 0) {
                        continue;
                    }
                    StringBuilder head = new StringBuilder("* ").append(seq).append(" FETCH (UID ").append(m.uid);
                    if (items.contains("RFC822.SIZE")) {
                        head.append(" RFC822.SIZE ").append(m.bytes.length);
                    }
                    if (items.contains("FLAGS")) {
                        head.append(" FLAGS (").append(String.join(" ", m.flags)).append(')');
                    }
                    if (items.contains("BODY")) {
                        head.append(" BODY[] {").append(m.bytes.length).append("}\r\n");
                        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
                        out.writeBytes(m.bytes);
                        out.writeBytes(")\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.writeBytes((head + ")\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            if (items.contains("BODY")) {
                fetchResponseBytes.add(out.size());
            }
            out.writeBytes((vanished ? tag + " NO [EXPUNGEISSUED] Some messages were expunged meanwhile\r\n"
                    : tag + " OK fetched\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();
        }

        private void store(String tag, String args) throws IOException {
            String[] p = args.split(" ", 3);
            Set<Long> set = parseSet(p[0]);
            String flags = p[2].replace("(", "").replace(")", "").strip();
            synchronized (FakeImapMailbox.this) {
                for (Message m : selected.messages) {
                    if (set.contains(m.uid)) {
                        if (p[1].toUpperCase(Locale.ROOT).startsWith("-")) {
                            m.flags.removeAll(List.of(flags.split(" ")));
                        } else {
                            m.flags.addAll(List.of(flags.split(" ")));
                        }
                    }
                }
            }
            write(tag + " OK stored\r\n");
        }

        private void copy(String tag, String args, boolean move) throws IOException {
            String[] p = args.split(" ", 2);
            Set<Long> set = parseSet(p[0]);
            synchronized (FakeImapMailbox.this) {
                Mailbox target = mailboxes.get(unquote(p[1].strip()));
                if (target == null) {
                    write(tag + " NO [TRYCREATE] no such mailbox\r\n");
                    return;
                }
                for (Message m : selected.messages) {
                    if (set.contains(m.uid)) {
                        target.messages.add(new Message(target.uidNext++, m.bytes));
                    }
                }
            }
            if (move) {
                expunge(set::contains, true);
            }
            write(tag + " OK done\r\n");
        }

        /** Removes \Deleted messages matching the filter, telling the client their sequence numbers. */
        private void expunge(LongPredicate which, boolean moved) throws IOException {
            StringBuilder out = new StringBuilder();
            synchronized (FakeImapMailbox.this) {
                List<Message> messages = selected.messages;
                for (int i = messages.size() - 1; i >= 0; i--) {
                    Message m = messages.get(i);
                    if (which.test(m.uid) && (moved || m.flags.contains("\\Deleted"))) {
                        messages.remove(i);
                        out.append("* ").append(i + 1).append(" EXPUNGE\r\n");
                    }
                }
            }
            write(out.toString());
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.US_ASCII);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
            return null;
        }

        private void write(String text) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    static boolean inSet(String set, long uid) {
        for (String range : set.split(",")) {
            String[] ends = range.split(":");
            long low = Long.parseLong(ends[0]);
            long high = ends.length == 1 ? low : ends[1].equals("*") ? Long.MAX_VALUE : Long.parseLong(ends[1]);
            if (uid >= Math.min(low, high) && uid <= Math.max(low, high)) {
                return true;
            }
        }
        return false;
    }

    private static Set<Long> parseSet(String set) {
        Set<Long> uids = new TreeSet<>();
        for (String range : set.split(",")) {
            String[] ends = range.split(":");
            long low = Long.parseLong(ends[0]);
            long high = ends.length == 1 ? low : Long.parseLong(ends[1]);
            for (long u = low; u <= high; u++) {
                uids.add(u);
            }
        }
        return uids;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
