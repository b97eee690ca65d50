package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.RecipientState.Status;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.spool.Waiting;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

class HealthTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final ComponentStates.Row ACTIVE = new ComponentStates.Row("org.mailslot.spool", "org.mailslot.spool",
            ComponentStates.ACTIVE, "");

    @Test
    void healthyWhenEveryComponentRunsAndNothingWaitsTooLong() {
        Health health = Health.of(List.of(ACTIVE), List.of(entry("young", NOW.minusSeconds(600), false, Status.DEFERRED)),
                Duration.ofHours(1), NOW);

        assertThat(health.healthy()).isTrue();
        assertThat(health.problems()).isEmpty();
    }

    @Test
    void aComponentNotRunningAndAMissingSpoolAreProblems() {
        ComponentStates.Row stopped = new ComponentStates.Row("org.mailslot.crypto", "org.mailslot.crypto",
                ComponentStates.STOPPED, "bundle 71 is not started (bundle:start 71)");

        Health health = Health.of(List.of(ACTIVE, stopped), null, Duration.ofHours(1), NOW);

        assertThat(health.healthy()).isFalse();
        assertThat(health.problems()).containsExactly(
                "org.mailslot.crypto is stopped: bundle 71 is not started (bundle:start 71)",
                "no spool: no MailQueue service registered (is mailslot-spool started?)");
    }

    @Test
    void aQueueThatCannotBeReadIsAProblemThatSaysWhy() {
        Health health = Health.of(List.of(ACTIVE), null, "cannot list the queue on the queue broker: AMQ219007",
                Duration.ofHours(1), NOW);

        assertThat(health.healthy()).isFalse();
        assertThat(health.problems()).containsExactly(
                "the queue cannot be read: cannot list the queue on the queue broker: AMQ219007");
    }

    @Test
    void mailWaitingLongerThanTheThresholdIsAProblemButHeldOrFinishedMailIsNot() {
        List<QueueEntry> spool = List.of(
                entry("held", NOW.minus(Duration.ofDays(3)), true, Status.PENDING),
                entry("done", NOW.minus(Duration.ofDays(3)), false, Status.DELIVERED),
                entry("old2", NOW.minus(Duration.ofMinutes(90)), false, Status.PENDING),
                entry("old1", NOW.minus(Duration.ofHours(26)), false, Status.DEFERRED),
                entry("young", NOW.minus(Duration.ofMinutes(59)), false, Status.DEFERRED));

        Health health = Health.of(List.of(ACTIVE), spool, Duration.ofHours(1), NOW);

        assertThat(health.problems()).containsExactly("2 messages have waited longer than 1h (status.max.wait); the oldest,"
                + " old1, for 1d2h: 451 4.7.1 try later");
        assertThat(Health.of(List.of(ACTIVE), spool, Duration.ofDays(2), NOW).healthy()).isTrue();
    }

    @Test
    void theThresholdIsTheOptionElseTheConfigurationElseOneHour() {
        assertThat(MaxWait.of("30m", null)).isEqualTo(Duration.ofMinutes(30));
        assertThat(MaxWait.configured(null)).isEqualTo(Duration.ofHours(1));
        assertThat(MaxWait.configured("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(MaxWait.configured("PT90M")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> MaxWait.of("soon", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--max-wait must be a duration");
        assertThatThrownBy(() -> MaxWait.configured("0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("org.mailslot.shell status.max.wait must be longer than zero, not '0'");
    }

    @Test
    void statusFailsWhenAMailslotBundleIsStoppedAndWhenMailWaitsTooLong() throws Exception {
        StatusCommand command = status(Bundle.RESOLVED, new QueueCommandsTest.MemoryQueue());

        assertThatThrownBy(command::execute).isInstanceOf(IllegalStateException.class)
                .hasMessage("Mailslot is not healthy: org.mailslot.crypto is stopped: bundle 71 is not started"
                        + " (bundle:start 71)");

        QueueCommandsTest.MemoryQueue queue = new QueueCommandsTest.MemoryQueue();
        queue.entries.put("old1", entry("old1", NOW.minus(Duration.ofHours(2)), false, Status.DEFERRED));
        StatusCommand waiting = status(Bundle.ACTIVE, queue);
        assertThatThrownBy(waiting::execute).hasMessageContaining("1 message has waited longer than 1h");

        waiting.maxWait = "3h";
        assertThat(QueueCommandsTest.run(waiting)).contains("Mailslot: 0 components, all active or satisfied");
    }

    @Test
    void statusAsJsonReturnsTheExitStatusInsteadOfThrowing() throws Exception {
        StatusCommand command = status(Bundle.RESOLVED, new QueueCommandsTest.MemoryQueue());
        command.json = true;

        assertThat(command.execute()).isEqualTo(StatusCommand.UNHEALTHY);
        command.context = context(Bundle.ACTIVE);
        assertThat(command.execute()).isNull();
    }

    static StatusCommand status(int cryptoState, QueueCommandsTest.MemoryQueue queue) {
        StatusCommand command = new StatusCommand();
        command.runtime = (ServiceComponentRuntime) Proxy.newProxyInstance(HealthTest.class.getClassLoader(),
                new Class<?>[] {ServiceComponentRuntime.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getComponentDescriptionDTOs" -> List.<ComponentDescriptionDTO>of();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        command.context = context(cryptoState);
        command.queue = queue;
        command.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return command;
    }

    private static BundleContext context(int cryptoState) {
        Dictionary<String, String> headers = new Hashtable<>();
        Bundle crypto = (Bundle) Proxy.newProxyInstance(HealthTest.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> "org.mailslot.crypto";
                    case "getState" -> cryptoState;
                    case "getBundleId" -> 71L;
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (BundleContext) Proxy.newProxyInstance(HealthTest.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundles" -> new Bundle[] {crypto};
                    case "getServiceReferences" -> (Collection<?>) List.of();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static QueueEntry entry(String id, Instant accepted, boolean held, Status status) {
        return new QueueEntry(id, Optional.of(MailAddress.parse("s@example.org")),
                List.of(new RecipientState(MailAddress.parse("r@example.net"), status, Optional.of("451 4.7.1 try later"))),
                100, accepted, 1, Optional.of(NOW.plusSeconds(60)), Optional.of("451 4.7.1 try later"), held,
                held ? Optional.of(new Waiting(WaitReason.HELD_BY_OPERATOR, "held"))
                        : Optional.of(new Waiting(WaitReason.DEFERRED_BY_NEXT_HOP, "451 4.7.1 try later")));
    }
}
