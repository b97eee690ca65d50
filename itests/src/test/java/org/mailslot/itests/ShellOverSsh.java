package org.mailslot.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/** Runs one shell command over Karaf's SSH as a user would with {@code ssh -p PORT user@127.0.0.1 COMMAND}. */
final class ShellOverSsh {

    /** What the command printed (standard output and error) and its exit status. */
    record Result(String output, Integer exitStatus) {

        boolean refused() {
            return output.contains("Command not found: ") || output.contains("Insufficient credentials");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ShellOverSsh() {
    }

    static Result run(int port, String user, String password, String command) throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        // The test's own container on loopback: its generated host key is the one there is.
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        try (ClientSession session = client.connect(user, "127.0.0.1", port).verify(TIMEOUT).getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(TIMEOUT);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (ChannelExec channel = session.createExecChannel(command)) {
                channel.setOut(output);
                channel.setErr(output);
                channel.open().verify(TIMEOUT);
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
                return new Result(output.toString(StandardCharsets.UTF_8), channel.getExitStatus());
            }
        } finally {
            client.stop();
        }
    }
}
