package org.mailslot.support.dns;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.support.text.ErrorText;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS answers with their DNSSEC status, from a validating resolver: the answer is {@link
 * Security#SECURE} when the resolver sets the AD bit (RFC 4035 section 3.2.3), as Postfix trusts it
 * ({@code smtp_dns_support_level = dnssec}). The resolver must validate and be reached over a path
 * nobody can forge: on loopback, as the MX route's {@code resolver}.
 *
 * <p>A SERVFAIL is asked again with the CD bit (checking disabled): an answer then means the data is
 * there but its signatures do not validate, {@link Security#BOGUS}; none means the lookup failed.
 * Either way nothing that depends on it is trusted.
 *
 * <p>Answers are kept for their TTL, at most {@link #MAX_CACHE}, so that every delivery to a
 * destination does not ask again; failures are not kept. Its resolver and cache are those of the
 * other lookups ({@link DnsResolvers}, {@link ExpiringAnswers}); it asks with its own messages since it
 * needs the AD and CD bits, which dnsjava's {@code Lookup} does not show. Thread-safe.
 */
public final class DnssecLookups {

    /** The longest an answer is kept, whatever its TTL. */
    public static final Duration MAX_CACHE = Duration.ofMinutes(5);

    /** What the resolver said of an RRset. */
    public enum Security {
        /** Validated: the AD bit was set. */
        SECURE,
        /** Answered without the AD bit: unsigned, or under no trust anchor. */
        INSECURE,
        /** The resolver refused the answer: its signatures do not validate (SERVFAIL, yet there with CD). */
        BOGUS,
        /** No answer: a timeout, SERVFAIL also with CD, a network error. */
        FAILED
    }

    /**
     * @param security the DNSSEC status; the AD bit covers the whole answer, the CNAMEs leading to the
     *     records too
     * @param name where the records are: the name asked for, or where its CNAMEs in the answer lead
     * @param records the records of the type asked for (empty for NXDOMAIN, no data, or a failure)
     * @param detail why, for {@link Security#BOGUS} and {@link Security#FAILED}; else empty
     */
    public record Answer(Security security, Name name, List<Record> records, String detail) {

        public Answer {
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(name, "name");
            records = List.copyOf(records);
            Objects.requireNonNull(detail, "detail");
        }

        /** @return an answer that is no answer: {@link Security#FAILED}, saying why */
        public static Answer failed(Name name, String detail) {
            return new Answer(Security.FAILED, name, List.of(), detail);
        }

        /** @return true if the answer may be trusted: validated */
        public boolean secure() {
            return security == Security.SECURE;
        }
    }

    private record Key(Name name, int type) {
    }

    private final Resolver resolver;
    private final Clock clock;
    private final ExpiringAnswers<Key, Answer> cache = new ExpiringAnswers<>();

    /**
     * @param resolver {@code host:port} or {@code host} of the validating resolver; empty for the system's
     * @param timeout how long one query may take
     */
    public DnssecLookups(String resolver, Duration timeout, Clock clock) {
        Resolver chosen = DnsResolvers.of(resolver, timeout);
        // DO: the resolver is to validate and say so; a large payload, so that signed answers need no TCP.
        chosen.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
        this.resolver = chosen;
        this.clock = clock;
    }

    /**
     * @param name the owner name, absolute
     * @param type the record type ({@link Type#TLSA}, {@link Type#MX}, ...)
     * @return the answer and its DNSSEC status
     */
    public Answer query(Name name, int type) {
        Key key = new Key(name, type);
        long now = clock.millis();
        Optional<Answer> kept = cache.get(key, now);
        if (kept.isPresent()) {
            return kept.get();
        }
        Answer answer;
        long ttl;
        try {
            Message response = send(name, type, false);
            int rcode = response.getRcode();
            if (rcode == Rcode.SERVFAIL) {
                answer = servfail(name, type);
                return answer;
            }
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                return Answer.failed(name, Type.string(type) + " lookup for " + name + " failed: "
                        + Rcode.string(rcode));
            }
            List<Record> records = new ArrayList<>();
            ttl = MAX_CACHE.toSeconds();
            for (Record record : response.getSection(Section.ANSWER)) {
                if (record.getType() == type) {
                    records.add(record);
                    ttl = Math.min(ttl, record.getTTL());
                }
            }
            Security security = response.getHeader().getFlag(Flags.AD) ? Security.SECURE : Security.INSECURE;
            answer = new Answer(security, expanded(name, response), records, "");
        } catch (IOException e) {
            return Answer.failed(name, Type.string(type) + " lookup for " + name + " failed: " + ErrorText.of(e));
        }
        cache.put(key, answer, now, ttl);
        return answer;
    }

    private Answer servfail(Name name, int type) throws IOException {
        Message unchecked = send(name, type, true);
        int rcode = unchecked.getRcode();
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
            return new Answer(Security.BOGUS, name, List.of(), Type.string(type) + " records of " + name
                    + " are bogus: the resolver does not validate their signatures");
        }
        return Answer.failed(name, Type.string(type) + " lookup for " + name + " failed: " + Rcode.string(rcode));
    }

    /** @return where the CNAMEs of the answer lead from {@code name} (a resolver answers with the whole chain) */
    private static Name expanded(Name name, Message response) {
        Name current = name;
        List<Record> answers = response.getSection(Section.ANSWER);
        for (int hops = 0; hops < answers.size(); hops++) {
            Name next = null;
            for (Record record : answers) {
                if (record instanceof CNAMERecord cname && cname.getName().equals(current)) {
                    next = cname.getTarget();
                }
            }
            if (next == null) {
                break;
            }
            current = next;
        }
        return current;
    }

    private Message send(Name name, int type, boolean checkingDisabled) throws IOException {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
        }
        return resolver.send(query);
    }
}
