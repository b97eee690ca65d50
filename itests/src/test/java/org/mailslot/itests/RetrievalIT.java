package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.api.retrieval.RetrievedMessage;
import org.mailslot.testing.peers.Processes;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * An IMAP account inside Karaf (Angus Mail created explicitly, inside OSGi) against a real Dovecot
 * on 127.0.0.3:993: a message delivered with {@code doveadm save} reaches a {@link MessageHandler}
 * service this test registers, and the shell shows the account. The account is configured as the
 * README says: a file {@code etc/org.mailslot.account-NAME.cfg} with {@code password}, which no
 * service registration shows.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class RetrievalIT extends MailslotTestSupport {

    private static final String USER = "itest";
    private static final String PASSWORD = "itest-secret-1";

    @Test
    public void anImapAccountHandsADovecotMessageToAHandlerService() throws Exception {
        // Short: Dovecot's Unix sockets live under it, and their paths are limited to about 100 bytes.
        Path dir = Files.createTempDirectory("rit-");
        Path account = Path.of(System.getProperty("karaf.etc"), "org.mailslot.account-itest.cfg");
        try (Dovecot dovecot = Dovecot.start(dir)) {
            org.osgi.service.cm.Configuration tls = configurationAdmin.getConfiguration("org.mailslot.tls", null);
            Dictionary<String, Object> original = tls.getProperties();
            Dictionary<String, Object> trusting = copy(original);
            trusting.put("trust.pem", dovecot.certificate.toString());
            tls.update(trusting);
            List<String> subjects = new CopyOnWriteArrayList<>();
            MessageHandler handler = message -> subjects.add(subject(message));
            ServiceRegistration<MessageHandler> registration = bundleContext.registerService(MessageHandler.class,
                    handler, new Hashtable<>(Map.of(MessageHandler.NAME, "retrieval-it")));
            try {
                dovecot.deliver("Subject: hello from dovecot\r\nFrom: a@example.org\r\n\r\nbody\r\n");
                Files.writeString(account, String.join("\n", "protocol = imap", "host = " + Dovecot.ADDRESS,
                        "port = 993", "username = " + USER, "password = " + PASSWORD, "poll.interval = 5s", ""));

                await().untilAsserted(() -> assertThat(subjects).containsExactly("hello from dovecot"));
                assertThat(publishedPropertyValues()).as("every service property in the registry")
                        .isNotEmpty().allSatisfy(value -> assertThat(value).doesNotContain(PASSWORD));
                await().untilAsserted(() -> assertThat(executeCommand("mailslot:accounts"))
                        .containsPattern("itest\\s.*imap.*127.0.0.3:993.*idle"));
                assertThat(executeCommand("mailslot:account-test itest")).contains("logged in as " + USER)
                        .contains("folder INBOX");

                dovecot.deliver("Subject: second while idling\r\nFrom: a@example.org\r\n\r\nbody\r\n");
                await().untilAsserted(() -> assertThat(subjects).containsExactly("hello from dovecot",
                        "second while idling"));
                assertThat(executeCommand("mailslot:fetch itest")).contains("itest: 0 new messages");
            } finally {
                registration.unregister();
                Files.deleteIfExists(account);
                if (original == null) {
                    tls.delete();
                } else {
                    tls.update(original);
                }
            }
        }
    }

    /** @return the value of every property of every registered service, as {@code service:list} shows them */
    private List<String> publishedPropertyValues() throws InvalidSyntaxException {
        List<String> values = new ArrayList<>();
        for (ServiceReference<?> reference : bundleContext.getAllServiceReferences(null, null)) {
            for (String key : reference.getPropertyKeys()) {
                Object value = reference.getProperty(key);
                values.add(value instanceof Object[] array ? Arrays.toString(array) : String.valueOf(value));
            }
        }
        return values;
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
        Hashtable<String, Object> copy = new Hashtable<>();
        if (properties != null) {
            for (var keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                copy.put(key, properties.get(key));
            }
        }
        return copy;
    }

    private static String subject(RetrievedMessage message) throws IOException {
        try (InputStream in = message.content().open()) {
            String head = new String(in.readNBytes(2048), StandardCharsets.US_ASCII);
            int at = head.indexOf("Subject: ");
            return head.substring(at + 9, head.indexOf('\r', at));
        }
    }

    /**
     * A private Dovecot (IMAPS only) started from inside Karaf with Debian's binaries, its
     * certificate made by openssl for 127.0.0.3. (The test peers library is not an OSGi bundle.)
     */
    static final class Dovecot implements AutoCloseable {

        static final String ADDRESS = "127.0.0.3";

        final Path dir;
        final Path config;
        final Path certificate;
        private long pid = -1;

        private Dovecot(Path dir) {
            this.dir = dir;
            this.config = dir.resolve("dovecot.conf");
            this.certificate = dir.resolve("cert.pem");
        }

        static Dovecot start(Path dir) throws Exception {
            Processes.requireRoot("Dovecot");
            Dovecot dovecot = new Dovecot(dir);
            try {
                dovecot.startDaemon();
            } catch (Exception | AssertionError e) {
                dovecot.close();
                throw e;
            }
            return dovecot;
        }

        private void startDaemon() throws Exception {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // Dovecot's users enter it
            Path mail = Files.createDirectories(dir.resolve("mail"));
            run("chown", "nobody", mail.toString());
            run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + ADDRESS,
                    "-addext", "subjectAltName=IP:" + ADDRESS, "-keyout", dir.resolve("key.pem").toString(),
                    "-out", certificate.toString());
            Files.writeString(dir.resolve("users"), USER + ":{PLAIN}" + PASSWORD + "\n");
            Files.setPosixFilePermissions(dir.resolve("users"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(config, String.join("\n",
                    "base_dir = " + dir.resolve("run"),
                    "state_dir = " + dir.resolve("state"),
                    "log_path = " + dir.resolve("dovecot.log"),
                    "instance_name = dovecot-retrieval-it",
                    "listen = " + ADDRESS,
                    "protocols = imap",
                    "ssl = required",
                    "ssl_cert = <" + certificate,
                    "ssl_key = <" + dir.resolve("key.pem"),
                    "auth_mechanisms = plain login",
                    "mail_location = maildir:" + mail + "/%u",
                    "passdb {", "  driver = passwd-file", "  args = scheme=PLAIN username_format=%u " + dir.resolve("users"), "}",
                    "userdb {", "  driver = static", "  args = uid=nobody gid=nogroup home=" + mail + "/%u", "}",
                    "service imap-login {", "  inet_listener imap {", "    port = 0", "  }",
                    "  inet_listener imaps {", "    port = 993", "    ssl = yes", "  }", "}",
                    "service anvil {", "  unix_listener anvil-auth-penalty {", "    mode = 0", "  }", "}", ""));
            run("dovecot", "-c", config.toString());
            Path pidFile = dir.resolve("run/master.pid");
            await().until(() -> Files.isRegularFile(pidFile) && !Files.readString(pidFile).isBlank());
            pid = Long.parseLong(Files.readString(pidFile).trim());
            await().until(() -> {
                try (java.net.Socket s = new java.net.Socket(ADDRESS, 993)) {
                    return true;
                }
            });
        }

        void deliver(String message) throws Exception {
            Process p = new ProcessBuilder("doveadm", "-c", config.toString(), "save", "-u", USER)
                    .redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(message.getBytes(StandardCharsets.US_ASCII));
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("doveadm save: " + output).isZero();
        }

        private void run(String... command) throws Exception {
            // Output to a file: a daemon keeps a pipe open, and reading it to its end would never return.
            Path log = dir.resolve("command.log");
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        }

        @Override
        public void close() throws Exception {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
                        h.destroyForcibly();
                        return h;
                    }).join();
                });
                pid = -1;
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
