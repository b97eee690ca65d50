package org.mailslot.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailslot.testing.peers.PostfixPeer.Listener;

/**
 * One Dovecot (IMAP/POP3 and SASL) and one Postfix (25/465/587/2525 and a no-TLS listener on 2526),
 * both with certificates from a {@link TestCa}, driven with swaks and a plain Java client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostfixDovecotIT {

    private static final String USER = "relayuser";
    private static final String PASSWORD = "s3cret-relay";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestCa ca;
    private Path caPem;
    private DovecotPeer dovecot;
    private PostfixPeer postfix;

    @BeforeAll
    void startPeers(@TempDir Path work) {
        ca = TestCa.create();
        caPem = ca.writeCertificatePem(work.resolve("ca.pem"));
        dovecot = DovecotPeer.builder()
                .certificate(ca.issueServer("127.0.0.3", "localhost"))
                .user(USER, PASSWORD)
                .start();
        postfix = PostfixPeer.builder()
                .certificate(ca.issueServer("127.0.0.2", "mx.example.test"))
                .sasl(dovecot)
                .port(Listener.PLAIN, 2526)
                .start();
    }

    @AfterAll
    void stopPeers() {
        try {
            if (postfix != null) {
                postfix.close();
            }
        } finally {
            if (dovecot != null) {
                dovecot.close();
            }
        }
    }

    @Test
    void relayPortDeliversWithOpportunisticStarttlsAndNoAuth() {
        String subject = "via 25 " + UUID.randomUUID();
        int before = postfix.disconnects(25).size();

        Swaks.Result result = Swaks.command().server(postfix.address(), 25)
                .from("sender@other.test").to("alice@example.test")
                .starttls().verifyWith(caPem).header("Subject: " + subject).run();

        assertThat(result.exitCode()).as(result.transcript()).isZero();
        assertThat(awaitMessageWith(subject)).contains("Delivered-To: alice@example.test");
        String disconnect = disconnectAfter(25, before);
        assertThat(PostfixPeer.commandCounts(disconnect))
                .containsEntry("ehlo", "2").containsEntry("starttls", "1").containsEntry("data", "1")
                .doesNotContainKey("auth");
        assertThat(postfix.tlsConnections(25)).isNotEmpty()
                .allSatisfy(line -> assertThat(PostfixPeer.tlsProtocol(line)).contains("TLSv1.3"));
        assertThat(postfix.saslLogins(25)).isEmpty();
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = {465, 587, 2525})
    void submissionPortsDeliverAfterTlsAndAuthPlain(int port) {
        String subject = "via " + port + " " + UUID.randomUUID();
        int before = postfix.disconnects(port).size();
        Swaks.Command command = Swaks.command().server(postfix.address(), port)
                .from("relayuser@example.test").to("bob@far-away.test")
                .verifyWith(caPem).auth(USER, PASSWORD, "PLAIN").header("Subject: " + subject);
        if (port == 465) {
            command.tlsOnConnect();
        } else {
            command.starttls();
        }

        Swaks.Result result = command.run();

        assertThat(result.exitCode()).as(result.transcript()).isZero();
        assertThat(awaitMessageWith(subject)).contains("Delivered-To: bob@far-away.test");
        Map<String, String> commands = PostfixPeer.commandCounts(disconnectAfter(port, before));
        assertThat(commands).containsEntry("auth", "1").containsEntry("data", "1");
        assertThat(commands).containsEntry("ehlo", port == 465 ? "1" : "2");
        if (port != 465) {
            assertThat(commands).containsEntry("starttls", "1");
        }
        assertThat(postfix.tlsConnections(port)).isNotEmpty()
                .allSatisfy(line -> assertThat(PostfixPeer.tlsProtocol(line)).contains("TLSv1.3"))
                .allSatisfy(line -> assertThat(PostfixPeer.tlsCipher(line)).isPresent());
        assertThat(postfix.saslLogins(port)).anySatisfy(line ->
                assertThat(line).contains("sasl_method=PLAIN, sasl_username=" + USER));
    }

    @Test
    void authWithoutTlsIsRefusedOnSubmission() throws Exception {
        int before = postfix.disconnects(587).size();
        int logins = postfix.saslLogins(587).size();
        Swaks.Result swaks = Swaks.command().server(postfix.address(), 587)
                .from("relayuser@example.test").to("alice@example.test").auth(USER, PASSWORD, "PLAIN").run();

        assertThat(swaks.exitCode()).as(swaks.transcript()).isEqualTo(28);
        assertThat(swaks.transcript()).contains("did not advertise authentication");

        // Sending AUTH anyway, in clear: refused, and so is MAIL.
        String credentials = Base64.getEncoder().encodeToString(("\0" + USER + "\0" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        try (LineClient smtp = LineClient.plain(postfix.address(), 587)) {
            assertThat(smtp.smtpReply()).last().asString().startsWith("220 ");
            smtp.send("EHLO client.test");
            List<String> ehlo = smtp.smtpReply();
            assertThat(ehlo).anyMatch(line -> line.contains("STARTTLS")).noneMatch(line -> line.contains("AUTH"));
            smtp.send("AUTH PLAIN " + credentials);
            assertThat(smtp.smtpReply()).as(smtp.transcript()).last().asString().matches("5\\d\\d .*");
            smtp.send("MAIL FROM:<relayuser@example.test>");
            assertThat(smtp.smtpReply()).as(smtp.transcript()).last().asString().startsWith("530 ");
            smtp.send("QUIT");
            smtp.smtpReply();
        }
        List<String> sessions = postfix.awaitDisconnects(587, before + 2, WAIT);
        assertThat(sessions.subList(before, sessions.size()))
                .allSatisfy(line -> assertThat(PostfixPeer.commandCounts(line))
                        .doesNotContainKey("starttls").doesNotContainEntry("auth", "1").doesNotContainKey("data"));
        assertThat(postfix.saslLogins(587)).hasSize(logins);
    }

    @Test
    void wrongPasswordIsRefused() {
        Swaks.Result result = Swaks.command().server(postfix.address(), 2525).starttls()
                .from("relayuser@example.test").to("alice@example.test").auth(USER, "wrong", "PLAIN").run();

        assertThat(result.exitCode()).as(result.transcript()).isEqualTo(28);
        postfix.awaitLogLine(Pattern.compile("postfix/p2525/smtpd.*SASL PLAIN authentication failed"), WAIT);
        assertThat(postfix.saslFailures(2525)).isNotEmpty();
    }

    @Test
    void unauthenticatedRelayIsRefusedOnPort25() {
        Swaks.Result result = Swaks.command().server(postfix.address(), 25).starttls()
                .from("sender@other.test").to("someone@far-away.test").run();

        assertThat(result.exitCode()).as(result.transcript()).isEqualTo(24);
        assertThat(result.transcript()).contains("Relay access denied");
    }

    @Test
    void plainListenerOffersNoStarttls() {
        Swaks.Result result = Swaks.command().server(postfix.address(), postfix.port(Listener.PLAIN))
                .from("sender@other.test").to("alice@example.test").starttls().run();

        assertThat(result.exitCode()).as(result.transcript()).isEqualTo(29);
        assertThat(result.transcript()).contains("STARTTLS");
    }

    @Test
    void imapsLoginAndFetchWork() throws Exception {
        String subject = "seeded " + UUID.randomUUID();
        dovecot.deliver(USER, ("From: a@example.test\r\nTo: relayuser@example.test\r\nSubject: " + subject
                + "\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII));

        try (LineClient imap = LineClient.tls(ca.clientSslContext(), dovecot.address(), dovecot.imapsPort())) {
            assertThat(imap.readLine()).startsWith("* OK");
            assertThat(imap.sslSocket().getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(imap.imap("a", "LOGIN " + USER + " " + PASSWORD)).last().asString().startsWith("a OK");
            assertThat(imap.imap("b", "SELECT INBOX")).last().asString().startsWith("b OK");
            List<String> search = imap.imap("c", "UID SEARCH SUBJECT \"" + subject + "\"");
            assertThat(search).as(imap.transcript()).anyMatch(line -> line.matches("\\* SEARCH \\d+"));
            String uid = search.stream().filter(line -> line.startsWith("* SEARCH")).findFirst().orElseThrow()
                    .substring("* SEARCH ".length());
            assertThat(imap.imap("d", "UID FETCH " + uid + " BODY.PEEK[]")).as(imap.transcript())
                    .anyMatch(line -> line.contains(subject));
            assertThat(imap.imap("e", "LOGOUT")).last().asString().startsWith("e OK");
        }
        assertThat(dovecot.messages(USER)).isNotEmpty();
        assertThat(dovecot.log()).contains("imap-login: Info: Login: user=<" + USER + ">");
    }

    @Test
    void imapsWithAnUntrustedCaFailsTheHandshake() {
        assertThatThrownBy(() -> LineClient.tls(TestCa.create().clientSslContext(), dovecot.address(),
                dovecot.imapsPort()).close()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void imapOffersStarttlsAndRefusesLoginBeforeIt() throws Exception {
        try (LineClient imap = LineClient.plain(dovecot.address(), dovecot.imapPort())) {
            assertThat(imap.readLine()).contains("STARTTLS").contains("LOGINDISABLED");
            assertThat(imap.imap("a", "LOGIN " + USER + " " + PASSWORD)).last().asString().startsWith("a NO");
            assertThat(imap.imap("b", "STARTTLS")).last().asString().startsWith("b OK");
            imap.startTls(ca.clientSslContext(), dovecot.address(), dovecot.imapPort());
            assertThat(imap.imap("c", "LOGIN " + USER + " " + PASSWORD)).as(imap.transcript())
                    .last().asString().startsWith("c OK");
            imap.imap("d", "LOGOUT");
        }
    }

    @Test
    void pop3sLoginWorks() throws Exception {
        dovecot.deliver(USER, "Subject: pop\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        try (LineClient pop = LineClient.tls(ca.clientSslContext(), dovecot.address(), dovecot.pop3sPort())) {
            assertThat(pop.readLine()).startsWith("+OK");
            pop.send("USER " + USER);
            assertThat(pop.readLine()).startsWith("+OK");
            pop.send("PASS " + PASSWORD);
            assertThat(pop.readLine()).as(pop.transcript()).startsWith("+OK");
            pop.send("STAT");
            assertThat(pop.readLine()).matches("\\+OK [1-9]\\d* \\d+");
            pop.send("QUIT");
            assertThat(pop.readLine()).startsWith("+OK");
        }
    }

    @Test
    void kickDropsAnImapSession() throws Exception {
        dovecot.addUser("kickme", "pw");
        try (LineClient imap = LineClient.tls(ca.clientSslContext(), dovecot.address(), dovecot.imapsPort())) {
            imap.readLine();
            assertThat(imap.imap("a", "LOGIN kickme pw")).last().asString().startsWith("a OK");
            await().atMost(WAIT).until(() -> dovecot.kick("kickme"));
            List<String> rest = imap.readUntil(line -> false);
            assertThat(rest).anyMatch(line -> line.startsWith("* BYE"));
        }
        assertThat(dovecot.kick("kickme")).isFalse();
    }

    @Test
    void opensslClientLogsInOverImaps() {
        byte[] commands = ("a LOGIN " + USER + " " + PASSWORD + "\r\nb LOGOUT\r\n").getBytes(StandardCharsets.US_ASCII);
        Processes.Result result = Processes.run(Duration.ofSeconds(20), commands, List.of("openssl", "s_client",
                "-connect", dovecot.address() + ":" + dovecot.imapsPort(), "-CAfile", caPem.toString(),
                "-verify_return_error", "-verify_ip", dovecot.address(), "-quiet"));

        assertThat(result.output()).as(result.describe()).contains("a OK").contains("b OK");
    }

    private String awaitMessageWith(String subject) {
        return await("message with subject " + subject).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> postfix.messages().stream().map(PostfixDovecotIT::read)
                        .filter(text -> text.contains("Subject: " + subject)).findFirst().orElse(null),
                        text -> text != null);
    }

    /** The disconnect line of the session after the first {@code before} ones (tests run one at a time). */
    private String disconnectAfter(int port, int before) {
        return postfix.awaitDisconnects(port, before + 1, WAIT).get(before);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
