package org.mailslot.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mailslot.testing.peers.PostfixPeer.Listener;

/** Peers that cannot start say why, with their log, and leave nothing running. */
class PeerFailureIT {

    @Test
    void postfixOnABusyPortFailsWithTheReason() throws Exception {
        try (ServerSocket busy = new ServerSocket(2600, 1, InetAddress.getByName("127.0.0.7"))) {
            assertThat(busy.isBound()).isTrue();
            PostfixPeer.Builder builder = PostfixPeer.builder().address("127.0.0.7")
                    .certificate(TestCa.create().issueServer("127.0.0.7"))
                    .closed(Listener.SUBMISSIONS).closed(Listener.SUBMISSION).closed(Listener.ALTERNATE)
                    .port(Listener.RELAY, 2600);

            assertThatThrownBy(builder::start).isInstanceOf(PeerException.class)
                    .hasMessageContaining("Postfix did not start")
                    .hasMessageContaining("Address already in use");
        }
        assertThat(masters()).noneMatch(cmd -> cmd.contains("127.0.0.7"));
    }

    @Test
    void postfixWithoutSaslForSubmissionPortsIsRefusedClearly() {
        assertThatThrownBy(() -> PostfixPeer.builder().certificate(TestCa.create().issueServer("127.0.0.2")).start())
                .isInstanceOf(PeerException.class).hasMessageContaining("need SASL");
    }

    @Test
    void dovecotOnABusyPortFailsWithTheReason() throws Exception {
        try (ServerSocket busy = new ServerSocket(2601, 1, InetAddress.getByName("127.0.0.7"))) {
            assertThat(busy.isBound()).isTrue();
            DovecotPeer.Builder builder = DovecotPeer.builder().address("127.0.0.7").authOnly().authPort(2601);

            assertThatThrownBy(builder::start).isInstanceOf(PeerException.class)
                    .hasMessageContaining("Dovecot did not start")
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void missingProgramNamesThePackagesFile() {
        assertThatThrownBy(() -> Processes.which("no-such-peer-program"))
                .isInstanceOf(PeerException.class).hasMessageContaining("PACKAGES");
    }

    /** Command lines of running processes (from /proc), to see that nothing was left behind. */
    private static List<String> masters() throws Exception {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .map(p -> p.resolve("cmdline"))
                    .map(p -> {
                        try {
                            return Files.readString(p).replace('\0', ' ');
                        } catch (Exception e) {
                            return "";
                        }
                    })
                    .toList();
        }
    }
}
