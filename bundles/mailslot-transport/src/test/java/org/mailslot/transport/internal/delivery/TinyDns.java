package org.mailslot.transport.internal.delivery;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS server on a loopback UDP port for unit tests: answers MX, A and AAAA questions from what it
 * was told, NXDOMAIN for names it knows nothing of, an empty answer (NODATA) for a known name
 * without records of the type asked, and fails the questions it was told to fail: SERVFAIL, or no
 * answer at all, as a broken or unreachable upstream does.
 */
final class TinyDns implements AutoCloseable {

    /** How a question fails. */
    enum Failure {
        /** A SERVFAIL reply: the resolver gets TRY_AGAIN. */
        SERVFAIL,
        /** No reply: the resolver times out. */
        SILENT,
        /**
         * What a validating resolver does with records whose signatures do not verify: SERVFAIL, and the
         * records when asked again with checking disabled (the CD bit).
         */
        BOGUS
    }

    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final DatagramSocket socket;
    private volatile boolean validated;

    TinyDns() {
        try {
            socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Thread thread = new Thread(this::serve, "tiny-dns");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** @return {@code 127.0.0.1:port}, as {@code DnsMxResolver} and dnsmasq's forwarding take it */
    String address() {
        return "127.0.0.1:" + port();
    }

    /** Sets the AD bit on every answer from now on, as a validating resolver does for a signed zone; @return this */
    TinyDns validated() {
        validated = true;
        return this;
    }

    TinyDns mx(String domain, int preference, String target) {
        add(new MXRecord(name(domain), DClass.IN, 60, preference, name(target)));
        return this;
    }

    TinyDns a(String host, String address) {
        try {
            add(new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(address)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    TinyDns aaaa(String host, String address) {
        try {
            add(new AAAARecord(name(host), DClass.IN, 60, InetAddress.getByName(address)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /**
     * Fails questions of one type for a name; the name counts as known, so its other types get
     * NODATA unless records are added for them.
     *
     * @param type such as {@link Type#A}
     */
    TinyDns fail(String host, int type, Failure failure) {
        records.computeIfAbsent(name(host).toString(), k -> new CopyOnWriteArrayList<>());
        failures.put(key(name(host), type), failure);
        return this;
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase() + "/" + Type.string(type);
    }

    private void add(Record record) {
        records.computeIfAbsent(record.getName().toString(), k -> new CopyOnWriteArrayList<>()).add(record);
    }

    private static Name name(String text) {
        try {
            return text.equals(".") ? Name.root : Name.fromString(text + ".");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                Failure failure = failures.get(key(question.getName(), question.getType()));
                if (failure == Failure.SILENT) {
                    continue;
                }
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AA);
                response.getHeader().setFlag(Flags.RA);
                response.addRecord(question, Section.QUESTION);
                List<Record> known = records.get(question.getName().toString());
                if (failure == Failure.SERVFAIL || failure == Failure.BOGUS && !query.getHeader().getFlag(Flags.CD)) {
                    response.getHeader().setRcode(Rcode.SERVFAIL);
                } else if (known == null) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    if (validated && failure == null) {
                        response.getHeader().setFlag(Flags.AD);
                    }
                    known.stream().filter(r -> r.getType() == question.getType())
                            .forEach(r -> response.addRecord(r, Section.ANSWER));
                }
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (Exception e) {
                // Closed, or a query this server does not understand.
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
