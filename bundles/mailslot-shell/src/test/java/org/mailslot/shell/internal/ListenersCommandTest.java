package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.port.TlsMode;

class ListenersCommandTest {

    @Test
    void printsEachListenerWithItsStateAndCounters() {
        ListenersCommand command = new ListenersCommand();
        command.listeners = () -> List.of(
                new ListenerStatus("submission", "127.0.0.1", 10587, 587, Optional.of(TlsMode.STARTTLS_REQUIRED),
                        ListenerState.BOUND, "", 3, 42),
                new ListenerStatus("smtps", "0.0.0.0", 10465, 465, Optional.empty(), ListenerState.WAITING,
                        "waiting for a port strategy for port 465 (is mailslot-transport started?)", 0, 0));

        String output = QueueCommandsTest.run(command);

        assertThat(line(output, "submission")).contains("127.0.0.1:10587").contains("587").contains("starttls-required")
                .contains("bound").contains("3").contains("42");
        assertThat(line(output, "smtps")).contains("0.0.0.0:10465").contains("465")
                .contains("waiting: waiting for a port strategy for port 465");
    }

    @Test
    void saysWhenNoneIsConfiguredOrTheServiceIsMissing() {
        ListenersCommand command = new ListenersCommand();
        command.listeners = List::of;
        assertThat(QueueCommandsTest.run(command)).contains("No listeners configured");

        command.listeners = null;
        assertThatThrownBy(command::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No Listeners service").hasMessageContaining("mailslot-smtp-server");
    }

    private static String line(String output, String start) {
        return output.lines().filter(l -> l.trim().startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(output));
    }
}
