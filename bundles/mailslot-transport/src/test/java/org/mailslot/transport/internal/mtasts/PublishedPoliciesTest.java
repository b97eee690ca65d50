package org.mailslot.transport.internal.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy.Mode;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.testing.peers.MutableClock;

class MtaStsPoliciesTest {

    private static final StsPolicy ENFORCE = new StsPolicy(Mode.ENFORCE, List.of("mx.example.test"),
            Duration.ofDays(1));
    private static final StsPolicy TESTING = new StsPolicy(Mode.TESTING, List.of("*.example.test"),
            Duration.ofDays(1));

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    /** The TXT answer: a record, no record (empty) or a failure (null). */
    private final AtomicReference<Optional<List<String>>> txt = new AtomicReference<>(Optional.empty());
    private final AtomicReference<StsPolicy> served = new AtomicReference<>();
    private final AtomicInteger txtQueries = new AtomicInteger();
    private final AtomicInteger fetches = new AtomicInteger();

    private PublishedPolicies policies() throws IOException {
        return new PublishedPolicies(name -> {
            txtQueries.incrementAndGet();
            Optional<List<String>> answer = txt.get();
            if (answer == null) {
                throw new IOException("SERVFAIL");
            }
            return answer;
        }, domain -> {
            fetches.incrementAndGet();
            StsPolicy policy = served.get();
            if (policy == null) {
                throw new IOException("connection refused");
            }
            return policy;
        }, new PolicyStore(dir), clock);
    }

    private void publish(String id, StsPolicy policy) {
        txt.set(Optional.of(List.of("v=STSv1; id=" + id + ";")));
        served.set(policy);
    }

    @Test
    void aDomainWithoutRecordHasNoPolicyAndIsNotAskedForEveryMessage() throws IOException {
        PublishedPolicies policies = policies();

        assertThat(policies.policy("example.test")).isEmpty();
        assertThat(policies.policy("example.test")).isEmpty();
        assertThat(txtQueries).hasValue(1);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void thePolicyIsFetchedOnceForAnIdAndAgainWhenTheIdChanges() throws IOException {
        PublishedPolicies policies = policies();
        publish("one", ENFORCE);

        assertThat(policies.policy("Example.TEST").orElseThrow().policy()).isEqualTo(ENFORCE);
        clock.advance(PublishedPolicies.RECHECK.plusSeconds(1));
        assertThat(policies.policy("example.test").orElseThrow().id()).isEqualTo("one");
        assertThat(fetches).hasValue(1);
        assertThat(txtQueries).hasValue(2);

        publish("two", TESTING);
        clock.advance(PublishedPolicies.RECHECK.plusSeconds(1));
        CachedPolicy now = policies.policy("example.test").orElseThrow();
        assertThat(now.id()).isEqualTo("two");
        assertThat(now.policy()).isEqualTo(TESTING);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aKnownPolicyOutlivesABlockedRecordOrPolicyHostUntilItsMaxAge() throws IOException {
        PublishedPolicies policies = policies();
        publish("one", ENFORCE);
        policies.policy("example.test");

        txt.set(null);
        clock.advance(Duration.ofHours(1));
        assertThat(policies.policy("example.test").orElseThrow().policy()).isEqualTo(ENFORCE);

        txt.set(Optional.empty());
        clock.advance(Duration.ofHours(1));
        assertThat(policies.policy("example.test").orElseThrow().policy()).isEqualTo(ENFORCE);

        publish("two", null);
        clock.advance(Duration.ofHours(1));
        assertThat(policies.policy("example.test").orElseThrow().id()).isEqualTo("one");

        clock.advance(Duration.ofDays(1));
        assertThat(policies.policy("example.test")).isEmpty();
    }

    @Test
    void aRestartKeepsThePolicyFromDisk() throws IOException {
        publish("one", ENFORCE);
        policies().policy("example.test");

        txt.set(null);
        PublishedPolicies restarted = policies();

        CachedPolicy kept = restarted.policy("example.test").orElseThrow();
        assertThat(kept.policy()).isEqualTo(ENFORCE);
        assertThat(kept.fetched()).isEqualTo(clock.instant());
        assertThat(fetches).hasValue(1);
    }

    @Test
    void refreshFetchesKnownPoliciesAgainAndForgetsExpiredOnes() throws IOException {
        PublishedPolicies policies = policies();
        publish("one", ENFORCE);
        policies.policy("example.test");

        clock.advance(Duration.ofHours(20));
        policies.refresh();
        assertThat(fetches).hasValue(2);
        assertThat(policies.known()).singleElement().satisfies(p -> assertThat(p.fetched()).isEqualTo(clock.instant()));

        served.set(null);
        clock.advance(Duration.ofHours(25));
        policies.refresh();
        policies.refresh();
        assertThat(policies.known()).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aFailedFetchIsKnownWhileNoPolicyAppliesInsteadAndUntilAFetchWorks() throws IOException {
        PublishedPolicies policies = policies();
        txt.set(Optional.of(List.of("v=STSv1; id=one;")));

        assertThat(policies.policy("example.test")).isEmpty();
        assertThat(policies.fetchFailure("Example.TEST"))
                .hasValueSatisfying(e -> assertThat(e).hasMessage("connection refused"));
        assertThat(policies.fetchFailure("other.test")).isEmpty();

        publish("two", ENFORCE);
        clock.advance(PublishedPolicies.RECHECK.plusSeconds(1));
        assertThat(policies.policy("example.test")).isPresent();
        assertThat(policies.fetchFailure("example.test")).isEmpty();

        // A known policy still applies when a new one cannot be had: nothing failed for the sessions then.
        publish("three", null);
        clock.advance(PublishedPolicies.RECHECK.plusSeconds(1));
        assertThat(policies.policy("example.test").orElseThrow().id()).isEqualTo("two");
        assertThat(policies.fetchFailure("example.test")).isEmpty();
    }
}
