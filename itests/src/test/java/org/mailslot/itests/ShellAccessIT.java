package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * Who may do what in the {@code mailslot} scope, as users logged in over SSH see it: a viewer reads,
 * and every command that sends, changes state, connects out or touches files is refused to it; an
 * operator (admin) runs them, with files only in the shell's own directory.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ShellAccessIT extends MailslotTestSupport {

    private static final List<String> READING = List.of("mailslot:status", "mailslot:ports", "mailslot:listeners",
            "mailslot:queue", "mailslot:accounts", "mailslot:keys");

    private int sshPort() throws IOException {
        return Integer.parseInt(configurationAdmin.getConfiguration("org.apache.karaf.shell", null).getProperties()
                .get("sshPort").toString());
    }

    private ShellOverSsh.Result asViewer(String command) throws IOException {
        return ShellOverSsh.run(sshPort(), VIEWER_USER, SHELL_PASSWORD, command);
    }

    private ShellOverSsh.Result asOperator(String command) throws IOException {
        return ShellOverSsh.run(sshPort(), OPERATOR_USER, SHELL_PASSWORD, command);
    }

    @Test
    public void theDistributionShipsTheScopesCommandAcl() {
        await().untilAsserted(() -> assertThat(Path.of(System.getProperty("karaf.etc"),
                "org.apache.karaf.command.acl.mailslot.cfg")).content().contains("* = admin").contains("status = viewer"));
    }

    @Test
    public void aViewerReadsButEveryChangingCommandIsRefused() throws Exception {
        await().untilAsserted(() -> assertThat(asViewer("mailslot:status").output()).contains("all active or satisfied"));
        for (String reading : READING) {
            ShellOverSsh.Result result = asViewer(reading);
            assertThat(result.refused()).as(reading + ": " + result.output()).isFalse();
            assertThat(result.exitStatus()).as(reading + ": " + result.output()).isZero();
        }
        String id = keyId(executeCommand("mailslot:key-generate exported@localhost"), "exported@localhost");
        assertThat(asViewer("mailslot:key-export " + id).output()).contains("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        Path message = Files.writeString(shellFiles().resolve("viewer.eml"),
                "From: <root@localhost>\r\nTo: <victim@localhost>\r\nSubject: from a viewer\r\n\r\nsecret\r\n");
        Path exportTarget = Files.writeString(shellFiles().resolve("kept.asc"), "kept");

        List<String> changing = List.of(
                "mailslot:send --from anyone@localhost --to victim@localhost --body forged",
                "mailslot:send --from anyone@localhost --to victim@localhost --file viewer.eml",
                "mailslot:send --direct --from anyone@localhost --to victim@example.org --body forged",
                "mailslot:key-generate --type smime viewer-anchor@localhost",
                "mailslot:key-import viewer.eml",
                "mailslot:key-remove " + id,
                "mailslot:key-export --output kept.asc --force " + id,
                "mailslot:queue-flush", "mailslot:queue-hold 0", "mailslot:queue-release 0", "mailslot:queue-delete 0",
                "mailslot:fetch any", "mailslot:account-test any", "mailslot:probe 127.0.0.1 --ports 1");
        for (String command : changing) {
            ShellOverSsh.Result result = asViewer(command);
            assertThat(result.refused()).as(command + ": " + result.output()).isTrue();
        }

        assertThat(executeCommand("mailslot:keys")).contains("exported@localhost").doesNotContain("viewer-anchor@localhost");
        assertThat(executeCommand("mailslot:queue")).doesNotContain("anyone@localhost");
        assertThat(Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes", "victim@localhost")).doesNotExist();
        assertThat(exportTarget).hasContent("kept");
        assertThat(message).exists();
        executeCommand("mailslot:key-remove " + id);
    }

    @Test
    public void anOperatorRunsThemWithFilesOnlyInTheShellsDirectory() throws Exception {
        await().untilAsserted(() -> assertThat(asOperator("mailslot:status").output()).contains("all active or satisfied"));

        ShellOverSsh.Result generated = asOperator("mailslot:key-generate operator@localhost");
        assertThat(generated.output()).contains("operator@localhost");
        // The table as printed over SSH wraps to the client's width; the local one gives the id whole.
        String id = keyId(executeCommand("mailslot:keys"), "operator@localhost");
        assertThat(asOperator("mailslot:key-export --output /tmp/operator.asc " + id).output())
                .contains("--output takes the name of a file in " + shellFiles()).contains("not a path");
        assertThat(asOperator("mailslot:key-export --output operator.asc " + id).output())
                .contains("Wrote the public part of " + id + " to " + shellFiles().resolve("operator.asc"));
        assertThat(shellFiles().resolve("operator.asc")).content(StandardCharsets.US_ASCII)
                .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shellFiles().resolve("operator.asc"))))
                .isEqualTo("rw-------");
        assertThat(asOperator("mailslot:key-export --output operator.asc " + id).output())
                .contains("operator.asc exists; give --force to overwrite it");

        assertThat(asOperator("mailslot:send --from ops@localhost --to reader@localhost --file ../../../etc/users.properties")
                .output()).contains("--file takes the name of a file in " + shellFiles()).contains("not a path");
        Files.writeString(shellFiles().resolve("note.eml"), "From: <ops@localhost>\r\nTo: <reader@localhost>\r\n"
                + "Subject: from the operator\r\n\r\nhello\r\n");
        assertThat(asOperator("mailslot:send --from ops@localhost --to reader@localhost --file note.eml").output())
                .contains("Queued;");
        Path mailslotData = Path.of(System.getProperty("karaf.data"), "mailslot");
        Path inbox = mailslotData.resolve("mailboxes/reader@localhost/new");
        await().untilAsserted(() -> assertThat(inbox).isNotEmptyDirectory());
        // Mail is the owner's alone, as in Postfix's queue.
        for (Path directory : List.of(mailslotData.resolve("spool"), mailslotData.resolve("mailboxes"), inbox)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).as(directory.toString())
                    .isEqualTo("rwx------");
        }
        try (java.util.stream.Stream<Path> delivered = Files.list(inbox)) {
            assertThat(delivered).allSatisfy(file -> assertThat(PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
        }
        assertThat(asOperator("mailslot:key-remove " + id).output()).contains("Removed");
    }

    private static String keyId(String keysOutput, String address) {
        return keysOutput.lines().filter(line -> line.contains(address)).findFirst().orElseThrow()
                .split("\\|")[1].strip();
    }
}
