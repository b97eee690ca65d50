package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * The embedded default as a newcomer uses it: swaks submits to the submission listener with
 * STARTTLS and AUTH against the Karaf realm, and the message lands in the local Maildir.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class SubmissionIT extends MailslotTestSupport {

    @Test
    public void aSubmittedMessageLandsInTheLocalMaildir() throws Exception {
        awaitListenerBound();

        Result swaks = swaks("--tls", "--auth", "PLAIN", "--auth-user", TEST_USER, "--auth-password", TEST_PASSWORD,
                "--from", "submitter@localhost", "--to", "alice@localhost", "--header", "Subject: hello from swaks");

        assertThat(swaks.exitCode()).as(swaks.output()).isZero();
        java.util.regex.Matcher queued = java.util.regex.Pattern.compile("<~\\s+250 2.0.0 Ok: queued as (\\S+)")
                .matcher(swaks.output());
        assertThat(queued.find()).as(swaks.output()).isTrue();
        Path inbox = Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes", "alice@localhost", "new");
        await().untilAsserted(() -> assertThat(messagesIn(inbox)).anySatisfy(message ->
                assertThat(message).contains("Subject: hello from swaks").contains("Received: from ")
                        .contains("(authenticated user submitter)")));
        // The operator's record of it is one line in the mail log, not in karaf.log.
        Path mailLog = Path.of(System.getProperty("karaf.data"), "log", "mail.log");
        String line = queued.group(1) + ": to=<alice@localhost>, relay=local, ";
        await().untilAsserted(() -> assertThat(Files.readString(mailLog)).contains(line)
                .containsPattern(java.util.regex.Pattern.quote(line) + ".*, dsn=2.0.0, status=sent "));
        assertThat(Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"))).doesNotContain(line);
    }

    @Test
    public void noCredentialsBeforeTlsAndNoneThatAreWrong() throws Exception {
        awaitListenerBound();

        Result inClear = swaks("--auth", "PLAIN", "--auth-user", TEST_USER, "--auth-password", TEST_PASSWORD,
                "--from", "submitter@localhost", "--to", "alice@localhost");
        Result wrongPassword = swaks("--tls", "--auth", "PLAIN", "--auth-user", "submitter", "--auth-password", "wrong",
                "--from", "submitter@localhost", "--to", "alice@localhost");
        Result mailBeforeTls = swaks("--from", "submitter@localhost", "--to", "alice@localhost");

        assertThat(inClear.exitCode()).as("AUTH is not even offered in clear: " + inClear.output()).isEqualTo(28);
        assertThat(wrongPassword.exitCode()).as(wrongPassword.output()).isEqualTo(28);
        assertThat(wrongPassword.output()).contains("535 5.7.8");
        assertThat(mailBeforeTls.output()).contains("530 5.7.0");
    }

    /**
     * Issue 13, Medium 4: anonymous mail on a 25-type listener to invented local users is refused at
     * RCPT and makes no mailbox; the realm's users and postmaster still get their mail.
     */
    @Test
    public void anonymousMailToAnInventedLocalUserIsRefusedAtRcptAndMakesNoMailbox() throws Exception {
        int port = freePort();
        createFactoryConfiguration("org.mailslot.listener", "anonymous25", java.util.Map.of(
                "address", "127.0.0.1", "port", String.valueOf(port), "strategy", "25"));
        try {
            await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                    .containsPattern("anonymous25.*127.0.0.1:" + port + ".*(?i)bound"));

            Result invented = swaksTo(port, "nobody1@localhost,nobody2@localhost");
            Result known = swaksTo(port, TEST_USER + "@localhost,postmaster@localhost,nobody3@localhost");

            assertThat(invented.output()).contains("<** 550 5.1.1 <nobody1@localhost>: Recipient address rejected: User"
                    + " unknown in local recipient table").contains("<** 550 5.1.1 <nobody2@localhost>");
            assertThat(invented.exitCode()).as(invented.output()).isNotZero();
            assertThat(known.output()).contains("<** 550 5.1.1 <nobody3@localhost>").contains("250 2.0.0 Ok: queued as");
            Path mailboxes = Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes");
            Path logs = Path.of(System.getProperty("karaf.data"), "log");
            await().untilAsserted(() -> assertThat(messagesIn(mailboxes.resolve(TEST_USER + "@localhost/new")))
                    .as(() -> read(logs.resolve("mail.log")) + read(logs.resolve("karaf.log"))).isNotEmpty());
            await().untilAsserted(() -> assertThat(messagesIn(mailboxes.resolve("postmaster@localhost/new"))).isNotEmpty());
            assertThat(mailboxes.resolve("nobody1@localhost")).doesNotExist();
            assertThat(mailboxes.resolve("nobody2@localhost")).doesNotExist();
            assertThat(mailboxes.resolve("nobody3@localhost")).doesNotExist();
        } finally {
            deleteCreatedConfigurations();
        }
    }

    private static String read(Path file) {
        try {
            String text = Files.readString(file);
            return text.substring(Math.max(0, text.length() - 20_000));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** An anonymous client, in clear, as on port 25: swaks sends DATA if any recipient was taken. */
    private static Result swaksTo(int port, String recipients) throws Exception {
        return run(List.of("swaks", "--server", "127.0.0.1:" + port, "--timeout", "20", "--from", "stranger@example.net",
                "--to", recipients, "--header", "Subject: to whom it may concern"));
    }

    /**
     * Moves the shipped submission listener to this test's port through Config Admin, as an
     * operator's {@code config:property-set} would: the listener rebinds without a restart.
     */
    private void awaitListenerBound() throws Exception {
        org.osgi.service.cm.Configuration listener = await().until(this::shippedListenerConfiguration, found -> found != null);
        Dictionary<String, Object> properties = listener.getProperties();
        if (!String.valueOf(port()).equals(String.valueOf(properties.get("port")))) {
            properties.put("port", String.valueOf(port()));
            listener.update(properties);
        }
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                .containsPattern("submission.*127.0.0.1:" + port() + ".*(?i)bound"));
    }

    /** The configuration that etc/org.mailslot.listener-submission.cfg became. */
    private org.osgi.service.cm.Configuration shippedListenerConfiguration() throws Exception {
        org.osgi.service.cm.Configuration[] all = configurationAdmin.listConfigurations(null);
        for (org.osgi.service.cm.Configuration configuration : all == null ? new org.osgi.service.cm.Configuration[0] : all) {
            if ("org.mailslot.listener".equals(configuration.getFactoryPid())) {
                return configuration;
            }
        }
        return null;
    }

    private static int port() {
        return Integer.parseInt(System.getProperty(SUBMISSION_PORT_PROPERTY));
    }

    private static List<String> messagesIn(Path maildir) throws IOException {
        if (!Files.isDirectory(maildir)) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(maildir)) {
            for (Path file : files.toList()) {
                messages.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return messages;
    }

    record Result(int exitCode, String output) {
    }

    /** Runs Debian's swaks against the listener, as a user would from a terminal. */
    private static Result swaks(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + port(), "--timeout", "20"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("swaks did not finish: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
