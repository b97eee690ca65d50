package org.mailslot.transport.internal.mtasts;

import java.io.IOException;
import java.net.IDN;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.mailslot.support.dns.PolicyDns;
import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS policy that applies to a domain now (RFC 8461 section 5): the cached one while its TXT
 * record keeps the same id; a new one fetched when the id changes; the cached one, until its max_age
 * runs out, when the TXT record or the new policy cannot be had (a missing record, a DNS failure, an
 * unreachable policy host), so that an attacker who blocks them gains nothing once a policy is
 * known. The TXT answer is itself kept for {@link #RECHECK}, so that busy destinations cost no DNS
 * query per message. Thread-safe; two threads asking for the same domain fetch its policy once.
 */
public final class PublishedPolicies {

    /** How long a TXT answer (or its absence) is trusted before the record is asked again. */
    public static final Duration RECHECK = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(PublishedPolicies.class);

    /**
     * What is known of a domain: its policy, if any, when its TXT record was last asked, and why the
     * policy it publishes could not be fetched then, if it could not and no cached one applies.
     */
    private record Known(Optional<CachedPolicy> policy, Instant checked, Optional<IOException> fetchFailure) {
    }

    /** The TXT records at a name ({@link PolicyDns#txt}). */
    @FunctionalInterface
    public interface Records {
        Optional<List<String>> txt(String name) throws IOException;
    }

    /** The policy a domain serves ({@link PolicyFetcher#fetch}). */
    @FunctionalInterface
    public interface Fetch {
        StsPolicy fetch(String domain) throws IOException;
    }

    private final Records dns;
    private final Fetch fetcher;
    private final PolicyStore store;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param dns for the TXT records
     * @param fetcher for the policies
     * @param store the policies kept on disk; what it holds is loaded now
     * @param clock for max_age and the recheck interval
     */
    public PublishedPolicies(Records dns, Fetch fetcher, PolicyStore store, Clock clock) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.store = store;
        this.clock = clock;
        for (CachedPolicy policy : store.load()) {
            // As if the record was asked long ago: the first message checks it again.
            known.put(policy.domain(), new Known(Optional.of(policy), Instant.EPOCH, Optional.empty()));
        }
    }

    /**
     * @param domain a recipient domain (A-label or U-label)
     * @return the policy that applies now, of any mode; empty if the domain has none (or no policy could
     *     ever be had for it)
     */
    public Optional<CachedPolicy> policy(String domain) {
        String name = ascii(domain);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Known current = known.get(name);
        if (current != null && now.isBefore(current.checked().plus(RECHECK))) {
            return valid(current.policy(), now);
        }
        synchronized (locks.computeIfAbsent(name, d -> new Object())) {
            current = known.get(name);
            if (current != null && clock.instant().isBefore(current.checked().plus(RECHECK))) {
                return valid(current.policy(), clock.instant());
            }
            return check(name, current == null ? Optional.empty() : current.policy(), false);
        }
    }

    /**
     * @param domain a recipient domain (A-label or U-label)
     * @return why the policy it publishes could not be fetched at the last check, while no cached policy
     *     applies instead (TLS reports count each session to the domain meanwhile); empty otherwise
     */
    public Optional<IOException> fetchFailure(String domain) {
        Known current = known.get(ascii(domain));
        if (current == null || valid(current.policy(), clock.instant()).isPresent()) {
            return Optional.empty();
        }
        return current.fetchFailure();
    }

    /** @return every domain with a policy known now, with it */
    public List<CachedPolicy> known() {
        Instant now = clock.instant();
        return known.values().stream().flatMap(k -> k.policy().stream()).filter(p -> p.validAt(now)).toList();
    }

    /**
     * Fetches every known policy again, whether or not its id changed, so that a policy a domain
     * still serves never expires for lack of mail to it (RFC 8461 section 5.1), and forgets those
     * whose max_age ran out.
     */
    public void refresh() {
        for (Map.Entry<String, Known> entry : known.entrySet()) {
            String domain = entry.getKey();
            synchronized (locks.computeIfAbsent(domain, d -> new Object())) {
                Optional<CachedPolicy> policy = valid(known.get(domain).policy(), clock.instant());
                if (policy.isPresent()) {
                    check(domain, policy, true);
                } else {
                    known.remove(domain);
                    try {
                        store.remove(domain);
                    } catch (IOException e) {
                        LOG.warn("MTA-STS: the expired policy of {} cannot be removed: {}", domain, ErrorText.of(e));
                    }
                }
            }
        }
    }

    private Optional<CachedPolicy> check(String domain, Optional<CachedPolicy> cached, boolean fetchAnyway) {
        Instant now = clock.instant();
        Optional<CachedPolicy> stillValid = valid(cached, now);
        Optional<CachedPolicy> result = stillValid;
        Optional<IOException> failure = Optional.empty();
        try {
            Optional<List<String>> texts = dns.txt("_mta-sts." + domain);
            if (texts.isPresent() && !texts.get().isEmpty()) {
                StsRecord record = StsRecord.parse(texts.get());
                if (fetchAnyway || stillValid.map(p -> !p.id().equals(record.id())).orElse(true)) {
                    try {
                        result = Optional.of(fetch(domain, record));
                    } catch (IOException e) {
                        failure = stillValid.isPresent() ? Optional.empty() : Optional.of(e);
                        throw e;
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("MTA-STS for {}: {}; {}", domain, ErrorText.of(e), stillValid
                    .map(p -> "the cached policy " + p.id() + " applies until " + p.expires()).orElse("no policy applies"));
        }
        known.put(domain, new Known(result, now, failure));
        return result;
    }

    private CachedPolicy fetch(String domain, StsRecord record) throws IOException {
        CachedPolicy fetched = new CachedPolicy(domain, record.id(), fetcher.fetch(domain), clock.instant());
        try {
            store.save(fetched);
        } catch (IOException e) {
            LOG.warn("MTA-STS: the policy of {} cannot be kept on disk (it applies until a restart): {}", domain,
                    ErrorText.of(e));
        }
        LOG.info("MTA-STS: {} publishes policy {} in mode {} for mx {} (max_age {} s)", domain, record.id(),
                StsPolicy.keyword(fetched.policy().mode()), fetched.policy().mx(), fetched.policy().maxAge().toSeconds());
        return fetched;
    }

    private static Optional<CachedPolicy> valid(Optional<CachedPolicy> policy, Instant now) {
        return policy.filter(p -> p.validAt(now));
    }

    private static String ascii(String domain) {
        if (domain.startsWith("[")) {
            return "";
        }
        try {
            String ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            return ascii.endsWith(".") ? ascii.substring(0, ascii.length() - 1) : ascii;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
