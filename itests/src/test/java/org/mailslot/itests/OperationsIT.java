package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.mailslot.api.spool.MailQueue;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Mailslot watched and operated from scripts, as README.md's "Scripting the shell" and "The queue" say:
 * {@code bin/mailslot} and Debian's OpenSSH client against the distribution, their exit status, and
 * their {@code --json} read by Debian's {@code jq}.
 */
@RunWith(PaxExam.class)
// A Karaf of its own: what it asserts is the whole spool's state (one message waiting, then none).
@ExamReactorStrategy(PerClass.class)
@Category(OwnKaraf.class)
public class OperationsIT extends LoadTestSupport {

    private static final String KEY_USER = "ops-key";
    private static final String WAITING_DOMAIN = "waiting.example";

    private Path key;
    private int sshPort;

    @Before
    public void operatorKey() throws Exception {
        sshPort = Integer.parseInt(configurationAdmin.getConfiguration("org.apache.karaf.shell", null).getProperties()
                .get("sshPort").toString());
        Path work = Files.createTempDirectory("operations-it");
        key = work.resolve("key");
        CommandLine.Result generated = CommandLine.run(List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "",
                "-f", key.toString()), null);
        assertThat(generated.exitStatus()).as(generated.toString()).isZero();
        String publicKey = Files.readString(work.resolve("key.pub")).split(" ")[1];
        // Karaf reads etc/keys.properties at each login.
        Files.writeString(Path.of(System.getProperty("karaf.etc"), "keys.properties"),
                "\n" + KEY_USER + " = " + publicKey + ",admin,manager,viewer,systembundles,ssh\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        await().untilAsserted(() -> assertThat(binMailslot("mailslot:status").exitStatus()).isZero());
    }

    @After
    public void cleanUp() throws Exception {
        bundle("org.mailslot.dkim").filter(b -> b.getState() != Bundle.ACTIVE).ifPresent(b -> {
            try {
                b.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        service(MailQueue.class).ifPresent(queue -> queue.list().stream()
                .filter(entry -> entry.recipients().stream().anyMatch(r -> r.address().domain().equals(WAITING_DOMAIN)))
                .forEach(entry -> queue.delete(entry.id())));
        org.osgi.service.cm.Configuration shell = configurationAdmin.getConfiguration("org.mailslot.shell", null);
        if (shell.getProperties() != null) {
            shell.delete();
        }
        deleteCreatedConfigurations();
    }

    private CommandLine.Result binMailslot(String command) throws IOException {
        return CommandLine.binMailslot(sshPort, OPERATOR_USER, SHELL_PASSWORD, command);
    }

    private CommandLine.Result ssh(String command) throws IOException {
        return CommandLine.openSsh(sshPort, key, KEY_USER, command);
    }

    @Test
    public void aStoppedBundleMakesStatusFailThroughBinMailslotAndSsh() throws Exception {
        assertThat(CommandLine.jq(ssh("mailslot:status --json").stdout(), ".healthy")).isEqualTo("true");

        bundle("org.mailslot.dkim").orElseThrow().stop();

        CommandLine.Result script = binMailslot("mailslot:status");
        assertThat(script.exitStatus()).as(script.toString()).isEqualTo(1);
        assertThat(script.stdout()).contains("org.mailslot.dkim").contains("stopped")
                .contains("Mailslot is not healthy: ").contains("org.mailslot.dkim is stopped: bundle");
        CommandLine.Result overSsh = ssh("mailslot:status");
        assertThat(overSsh.exitStatus()).as(overSsh.toString()).isEqualTo(1);
        // Karaf writes a failed command's error to the session's console, standard output.
        assertThat(overSsh.stdout() + overSsh.stderr()).contains("Mailslot is not healthy: ")
                .contains("org.mailslot.dkim is stopped");

        for (CommandLine.Result json : List.of(binMailslot("mailslot:status --json"), ssh("mailslot:status --json"))) {
            assertThat(json.exitStatus()).as(json.toString()).isEqualTo(1);
            assertThat(CommandLine.jq(json.stdout(), ".healthy")).isEqualTo("false");
            assertThat(CommandLine.jq(json.stdout(), ".components[] | select(.state == \"stopped\") | .component"))
                    .isEqualTo("org.mailslot.dkim");
            assertThat(CommandLine.jq(json.stdout(), ".problems[]")).contains("org.mailslot.dkim is stopped: bundle ");
        }

        bundle("org.mailslot.dkim").orElseThrow().start();
        await().untilAsserted(() -> assertThat(ssh("mailslot:status").exitStatus()).isZero());
    }

    @Test
    public void mailWaitingLongerThanTheThresholdMakesStatusFailUntilTheOperatorActs() throws Exception {
        String id = waitingMessage("operations-closed", WAITING_DOMAIN, "operations");
        assertThat(binMailslot("mailslot:status").exitStatus()).isZero();

        Dictionary<String, Object> shell = new Hashtable<>(Map.of("status.max.wait", "1s"));
        configurationAdmin.getConfiguration("org.mailslot.shell", null).update(shell);
        await().untilAsserted(() -> {
            CommandLine.Result status = binMailslot("mailslot:status");
            assertThat(status.exitStatus()).as(status.toString()).isEqualTo(1);
            assertThat(status.stdout()).contains("1 message has waited longer than 1s (status.max.wait); the oldest, " + id);
        });
        CommandLine.Result json = ssh("mailslot:status --json");
        assertThat(json.exitStatus()).as(json.toString()).isEqualTo(1);
        assertThat(CommandLine.jq(json.stdout(), ".maxWaitSeconds")).isEqualTo("1");
        assertThat(CommandLine.jq(json.stdout(), ".problems[]")).contains("waited longer than 1s");
        assertThat(CommandLine.jq(json.stdout(), ".spool.waiting[0].ids[0]")).isEqualTo(id);
        assertThat(CommandLine.jq(json.stdout(), ".spool.waiting[0].reason"))
                .isIn("DEFERRED_BY_NEXT_HOP", "DESTINATION_SUSPENDED");
        assertThat(ssh("mailslot:status --max-wait 1d").exitStatus()).isZero();

        // The queue tools find it by domain and reason, show it, and hold it: held mail waits for the operator.
        String listed = ssh("mailslot:queue --domain " + WAITING_DOMAIN + " --json").stdout();
        assertThat(CommandLine.jq(listed, ".matching")).isEqualTo("1");
        assertThat(CommandLine.jq(listed, ".messages[0].id")).isEqualTo(id);
        assertThat(CommandLine.jq(listed, ".messages[0].recipients[0].status")).isEqualTo("deferred");
        assertThat(CommandLine.jq(ssh("mailslot:queue --reason NO_ROUTE --json").stdout(), ".matching")).isEqualTo("0");
        await().untilAsserted(() -> assertThat(binMailslot("mailslot:queue-show --body " + id).stdout())
                .contains("Message " + id).contains("someone@" + WAITING_DOMAIN)
                .contains("Subject: operations").contains("Body:").contains("held up")
                .containsPattern("(?s)History \\(.*mail\\.log\\):\\R.*" + id + ": to=<someone@" + WAITING_DOMAIN
                        + ">[^\\n]*status=deferred"));
        String shown = ssh("mailslot:queue-show --json " + id).stdout();
        assertThat(CommandLine.jq(shown, ".message.recipients[0].address")).isEqualTo("someone@" + WAITING_DOMAIN);
        assertThat(CommandLine.jq(shown, ".header")).contains("Subject: operations");

        assertThat(ssh("mailslot:queue-hold --domain " + WAITING_DOMAIN).stdout()).contains("Held 1 message");
        assertThat(binMailslot("mailslot:status").exitStatus()).isZero();
        assertThat(ssh("mailslot:queue-delete --held --domain " + WAITING_DOMAIN).stdout()).contains("Deleted 1 message");
        assertThat(CommandLine.jq(ssh("mailslot:queue --json").stdout(), ".matching")).isEqualTo("0");
    }
}
