package org.mailslot.tlsrpt.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import org.mailslot.api.tlsrpt.TlsPolicyType;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.tlsrpt.TlsSessionResult;

/**
 * The TLS sessions of one UTC day, counted by policy (RFC 8460 section 4.3: policy type, policy
 * strings, policy domain and MX hosts) and, for failures, by what the report's failure details tell
 * apart. Thread-safe: counting is a map look-up and an increment.
 */
final class DayTally {

    /** A report's {@code policy} object. */
    record Policy(TlsPolicyType type, String domain, List<String> strings, List<String> mx) {

        Policy {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(domain, "domain");
            strings = List.copyOf(strings);
            mx = List.copyOf(mx);
        }

        static final Comparator<Policy> ORDER = Comparator.comparing(Policy::domain).thenComparing(Policy::type)
                .thenComparing(p -> String.join("\n", p.mx())).thenComparing(p -> String.join("\n", p.strings()));
    }

    /** One entry of a report's {@code failure-details}, without its count. */
    record Failure(TlsResultType type, String sendingIp, String receivingMx, String receivingIp, String reason) {

        Failure {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(sendingIp, "sendingIp");
            Objects.requireNonNull(receivingMx, "receivingMx");
            Objects.requireNonNull(receivingIp, "receivingIp");
            Objects.requireNonNull(reason, "reason");
        }

        static final Comparator<Failure> ORDER = Comparator.comparing(Failure::type).thenComparing(Failure::receivingMx)
                .thenComparing(Failure::receivingIp).thenComparing(Failure::sendingIp).thenComparing(Failure::reason);
    }

    /** What was counted of one policy. */
    record Counts(long successes, Map<Failure, Long> failures) {

        Counts {
            failures = Map.copyOf(failures);
        }

        long failureCount() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final class Counting {
        final LongAdder successes = new LongAdder();
        final Map<Failure, LongAdder> failures = new ConcurrentHashMap<>();
    }

    private final Map<Policy, Counting> policies = new ConcurrentHashMap<>();

    void add(TlsSessionResult result) {
        Policy policy = new Policy(result.policyType(), result.policyDomain(), result.policyStrings(), result.mxPatterns());
        Optional<Failure> failure = result.failure().map(type -> new Failure(type, result.sendingIp(), result.mxHost(),
                result.receivingIp(), result.reason()));
        add(policy, failure, 1);
    }

    /** @param failure the failure counted, empty to count successes */
    void add(Policy policy, Optional<Failure> failure, long count) {
        Counting counting = policies.computeIfAbsent(policy, p -> new Counting());
        if (failure.isEmpty()) {
            counting.successes.add(count);
        } else {
            counting.failures.computeIfAbsent(failure.get(), f -> new LongAdder()).add(count);
        }
    }

    /** @return what is counted now, by policy in a stable order */
    Map<Policy, Counts> snapshot() {
        Map<Policy, Counts> snapshot = new TreeMap<>(Policy.ORDER);
        policies.forEach((policy, counting) -> snapshot.put(policy, new Counts(counting.successes.sum(),
                counting.failures.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum())))));
        return snapshot;
    }

    /** @return what is counted now of one policy domain, by policy */
    Map<Policy, Counts> snapshot(String domain) {
        Map<Policy, Counts> all = snapshot();
        all.keySet().removeIf(policy -> !policy.domain().equals(domain));
        return all;
    }

    boolean isEmpty() {
        return policies.isEmpty();
    }
}
