package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.testing.peers.SmtpSink;
import org.mailslot.testing.peers.Swaks;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * The mail log as an operator's tools read it: mail submitted with swaks is delivered into a local
 * Maildir and to a Postfix smtp-sink, deferred by a sink that answers RCPT with 450 and bounced by one
 * that answers 550; Debian's {@code pflogsumm} over the lines of those messages in
 * {@code data/log/mail.log} counts what happened, and the delivery lines are in Karaf's log stream.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class MailLogIT extends MailslotTestSupport {

    private static final Pattern QUEUED = Pattern.compile("250 2.0.0 Ok: queued as (\\S+)");
    private static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) \\S+ ";

    private final List<SmtpSink> sinks = new ArrayList<>();
    private int listenerPort;
    private SmtpSink accepting;

    @Before
    public void startSinksAndRoutes() throws Exception {
        accepting = sink("maillog-sent", "accept.test", SmtpSink.builder());
        sink("maillog-deferred", "defer.test", SmtpSink.builder().softReject("RCPT"));
        sink("maillog-bounced", "bounce.test", SmtpSink.builder().hardReject("RCPT").hardReply("550 5.1.1 No such user"));
        listenerPort = freePort();
        createFactoryConfiguration("org.mailslot.listener", "maillog", Map.of(
                "address", "127.0.0.1", "port", String.valueOf(listenerPort), "strategy", "587"));
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                .containsPattern("maillog.*127.0.0.1:" + listenerPort + ".*(?i)bound"));
    }

    private SmtpSink sink(String name, String domain, SmtpSink.Builder builder) throws Exception {
        int port = freePort();
        SmtpSink sink = builder.port(port).dump(false).start();
        sinks.add(sink);
        createFactoryConfiguration("org.mailslot.port", name, Map.of("port", port, "role", "relay",
                "tls.mode", "none", "auth.policy", "none"));
        createFactoryConfiguration("org.mailslot.relay", name, Map.of("host", sink.address(),
                "ports", String.valueOf(port), "domains", domain));
        return sink;
    }

    @After
    public void stopSinks() throws Exception {
        deleteCreatedConfigurations();
        sinks.forEach(SmtpSink::close);
    }

    @Test
    public void pflogsummCountsWhatTheTestCaused() throws Exception {
        List<String> local = submit(2, "alice@localhost");
        List<String> relayed = submit(3, "someone@accept.test");
        List<String> deferred = submit(1, "later@defer.test");
        List<String> bounced = submit(2, "nobody@bounce.test");
        List<String> mixed = submit(1, "alice@localhost", "later@defer.test");
        Set<String> ids = new LinkedHashSet<>();
        List.of(local, relayed, deferred, bounced, mixed).forEach(ids::addAll);

        Path mailLog = Path.of(System.getProperty("karaf.data"), "log", "mail.log");
        // Done once every recipient has its outcome and each bounce's notice was delivered to the sender.
        await().untilAsserted(() -> {
            List<String> lines = linesAbout(mailLog, ids);
            for (String id : local) {
                assertThat(lines).anyMatch(line -> line.contains(id + ": to=<alice@localhost>, relay=local, ")
                        && line.contains("status=sent"));
            }
            for (String id : relayed) {
                assertThat(lines).anyMatch(line -> line.contains(id + ": to=<someone@accept.test>") && line.contains("status=sent"));
            }
            for (String id : bounced) {
                assertThat(lines).anyMatch(line -> line.contains(id + ": to=<nobody@bounce.test>") && line.contains("status=bounced"));
                assertThat(lines).anyMatch(line -> line.contains(id + ": sender non-delivery notification: "));
            }
            for (String id : deferred) {
                assertThat(lines).anyMatch(line -> line.contains(id + ": to=<later@defer.test>") && line.contains("status=deferred"));
            }
            assertThat(lines).anyMatch(line -> line.contains(mixed.get(0) + ": to=<alice@localhost>") && line.contains("status=sent"));
            assertThat(lines).anyMatch(line -> line.contains(mixed.get(0) + ": to=<later@defer.test>")
                    && line.contains("status=deferred"));
            Set<String> notices = noticesOf(lines);
            assertThat(notices).hasSize(2);
            for (String notice : notices) {
                assertThat(linesAbout(mailLog, Set.of(notice))).anyMatch(line ->
                        line.contains(notice + ": to=<" + TEST_USER + "@localhost>, relay=local") && line.contains("status=sent"));
            }
        });
        List<String> lines = linesAbout(mailLog, ids);
        ids.addAll(noticesOf(lines));
        lines = linesAbout(mailLog, ids);

        String summary = pflogsumm(lines);
        assertThat(count(summary, "received")).as(summary).isEqualTo(9);
        // 2 + 3 + 1 to the Maildir and the sink, and the 2 notices to the sender's Maildir.
        assertThat(count(summary, "delivered")).as(summary).isEqualTo(8);
        assertThat(count(summary, "deferred")).as(summary).isEqualTo(2);
        assertThat(count(summary, "bounced")).as(summary).isEqualTo(2);

        // Postfix's lines, with the fields its tools read.
        String id = relayed.get(0);
        String all = String.join("\n", lines);
        assertThat(all).containsPattern(Pattern.compile("^" + STAMP + "mailslot/smtpd\\[\\d+\\]: " + id
                + ": client=unknown\\[127\\.0\\.0\\.1\\], sasl_method=PLAIN, sasl_username=" + TEST_USER + "$", Pattern.MULTILINE));
        assertThat(all).containsPattern(Pattern.compile("^" + STAMP + "mailslot/cleanup\\[\\d+\\]: " + id
                + ": message-id=<[^>]+@[^>]+>$", Pattern.MULTILINE));
        assertThat(all).containsPattern(Pattern.compile("^" + STAMP + "mailslot/qmgr\\[\\d+\\]: " + id + ": from=<"
                + TEST_USER + "@localhost>, size=\\d+, nrcpt=1 \\(queue active\\)$", Pattern.MULTILINE));
        assertThat(all).containsPattern(Pattern.compile("^" + STAMP + "mailslot/delivery\\[\\d+\\]: " + id
                + ": to=<someone@accept\\.test>, relay=127\\.0\\.0\\.4\\[127\\.0\\.0\\.4\\]:" + accepting.port()
                + ", delay=[\\d.]+, delays=[\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+, dsn=2\\.0\\.0, status=sent \\(250 .*\\)$",
                Pattern.MULTILINE));
        assertThat(all).containsPattern(Pattern.compile("^" + STAMP + "mailslot/qmgr\\[\\d+\\]: " + id + ": removed$",
                Pattern.MULTILINE));
        assertThat(all).containsPattern(Pattern.compile(bounced.get(0) + ": to=<nobody@bounce\\.test>, relay=127\\.0\\.0\\.4\\["
                + ".*, dsn=5\\.1\\.1, status=bounced \\(550 5\\.1\\.1 No such user\\)"));

        // Delivery lines, and only they, also reach Karaf's log stream under one logger. One log:display only:
        // each call rewrites the pax-logging configuration (it quiets sshd and restores it), and Karaf can read
        // that configuration half-written in a second call ("Unrecognized configuration").
        String karafLog = executeCommand("log:display --no-color -p '%p %c: %m%n'").replaceAll("\u001B\\[[;\\d]*m", "");
        assertThat(karafLog).containsPattern("(?m)^INFO org\\.mailslot\\.mail\\.delivery: .*" + id
                + ": to=<someone@accept\\.test>, relay=.*status=sent");
        assertThat(karafLog).doesNotContain(id + ": client=").doesNotContain(id + ": message-id=");
    }

    /** @return the queue ids of {@code count} messages submitted over the listener, each to these recipients */
    private List<String> submit(int count, String... recipients) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Swaks.Result result = Swaks.command().server("127.0.0.1", listenerPort).starttls()
                    .auth(TEST_USER, TEST_PASSWORD, "PLAIN").from(TEST_USER + "@localhost").to(recipients)
                    .header("Subject: mail log " + i).run();
            Matcher queued = QUEUED.matcher(result.transcript());
            assertThat(queued.find()).as(result.transcript()).isTrue();
            ids.add(queued.group(1));
        }
        return ids;
    }

    private static List<String> linesAbout(Path mailLog, Set<String> ids) throws Exception {
        if (!Files.exists(mailLog)) {
            return List.of();
        }
        return Files.readAllLines(mailLog, StandardCharsets.UTF_8).stream()
                .filter(line -> ids.stream().anyMatch(id -> line.contains("]: " + id + ": ")))
                .toList();
    }

    private static Set<String> noticesOf(List<String> lines) {
        Pattern notice = Pattern.compile(": sender non-delivery notification: (\\S+)$");
        return lines.stream().map(notice::matcher).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Runs Debian's pflogsumm over the lines, as an operator runs it over the file. */
    private static String pflogsumm(List<String> lines) throws Exception {
        Path excerpt = Files.createTempFile(Path.of(System.getProperty("karaf.data")), "mail-log-it", ".log");
        try {
            Files.write(excerpt, lines, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder("pflogsumm", "--syslog-name=mailslot", excerpt.toString())
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(excerpt);
        }
    }

    /** @return the figure pflogsumm's grand totals give for {@code what} ("received", "delivered", ...) */
    private static int count(String summary, String what) {
        Matcher figure = Pattern.compile("^\\s*(\\d+)\\s+" + what + "\\b", Pattern.MULTILINE).matcher(summary);
        assertThat(figure.find()).as(summary).isTrue();
        return Integer.parseInt(figure.group(1));
    }
}
