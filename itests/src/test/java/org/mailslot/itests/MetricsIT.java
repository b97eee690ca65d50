package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * What an operator watches: Debian's Prometheus scraping {@code /metrics} of the distribution, and
 * the status page at {@code /mailslot} in Debian's headless chromium. The test makes the numbers: it
 * submits {@link #MESSAGES} messages with swaks while the crypto policy is stopped, so each is
 * accepted and then waits in the spool for the required stage.
 */
@RunWith(PaxExam.class)
// A Karaf of its own: its HTTP port and status-page administrator are configured here, not in the suite's.
@ExamReactorStrategy(PerClass.class)
@Category(OwnKaraf.class)
public class MetricsIT extends MailslotTestSupport {

    private static final int MESSAGES = 3;
    private static final String HTTP_PORT_PROPERTY = "mailslot.itest.http.port";
    private static final String SCREENSHOT_PROPERTY = "mailslot.itest.screenshot";
    private static final String ADMIN = "operator";
    private static final String ADMIN_PASSWORD = "status-page-pass";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static boolean messagesWaiting;
    private static Process prometheus;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return OptionUtils.combine(super.config(),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port",
                        System.getProperty(HTTP_PORT_PROPERTY, String.valueOf(freePort()))),
                editConfigurationFilePut("etc/users.properties", ADMIN, ADMIN_PASSWORD + ",admin"),
                systemProperty(SCREENSHOT_PROPERTY).value(new File("target/status-page.png").getAbsolutePath()));
    }

    @Before
    public void messagesWaitInTheSpool() throws Exception {
        if (messagesWaiting) {
            return;
        }
        // A Karaf just booted may still refresh bundles as its features settle, which starts a stopped
        // bundle again: stop it until it stays stopped.
        await().until(() -> {
            Bundle crypto = cryptoBundle();
            if (crypto.getState() == Bundle.ACTIVE) {
                crypto.stop();
            }
            return crypto.getState() == Bundle.RESOLVED;
        });
        int port = freePort();
        org.osgi.service.cm.Configuration listener = await().until(() -> Arrays.stream(
                configurationAdmin.listConfigurations("(service.factoryPid=org.mailslot.listener)")).findFirst().orElse(null),
                found -> found != null);
        var properties = listener.getProperties();
        properties.put("port", String.valueOf(port));
        listener.update(properties);
        await().untilAsserted(() -> assertThat(executeCommand("mailslot:listeners"))
                .containsPattern("submission.*127.0.0.1:" + port + ".*(?i)bound"));
        for (int i = 1; i <= MESSAGES; i++) {
            Process swaks = new ProcessBuilder("swaks", "--server", "127.0.0.1:" + port, "--timeout", "20", "--tls",
                    "--auth", "PLAIN", "--auth-user", TEST_USER, "--auth-password", TEST_PASSWORD,
                    "--from", "submitter@localhost", "--to", "alice@localhost", "--header", "Subject: metrics " + i)
                    .redirectErrorStream(true).start();
            String output = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(swaks.waitFor(60, TimeUnit.SECONDS) && swaks.exitValue() == 0).as(output).isTrue();
        }
        await().untilAsserted(() -> assertThat(status())
                .contains(MESSAGES + " messages in the spool, " + MESSAGES + " waiting"));
        await().untilAsserted(() -> assertThat(get("/metrics", null).body())
                .containsPattern("(?m)^mailslot_queue_depth " + MESSAGES + "\\.0$"));
        messagesWaiting = true;
    }

    @AfterClass
    public static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void prometheusScrapesTheNumbersTheTestCaused() throws Exception {
        HttpResponse<String> scrape = get("/metrics", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(scrape.body()).contains("# HELP mailslot_queue_depth ").contains("# TYPE mailslot_queue_depth gauge")
                .contains("# TYPE mailslot_listener_messages_accepted_total counter");

        int prometheusPort = freePort();
        Path home = Files.createTempDirectory("prometheus");
        Files.writeString(home.resolve("prometheus.yml"), String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "scrape_configs:",
                "  - job_name: mailslot",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + httpPort() + "']", ""));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + home.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();

        await().untilAsserted(() -> {
            assertThat(query(prometheusPort, "sum(mailslot_listener_messages_accepted_total)")).isEqualTo(MESSAGES);
            assertThat(query(prometheusPort, "sum(mailslot_listener_tls_handshakes_total{result=\"completed\"})"))
                    .isEqualTo(MESSAGES);
            assertThat(query(prometheusPort, "mailslot_queue_depth")).isEqualTo(MESSAGES);
            assertThat(query(prometheusPort, "mailslot_queue_waiting{reason=\"waiting\"}")).isEqualTo(MESSAGES);
            assertThat(query(prometheusPort, "mailslot_queue_destination_recipients{domain=\"localhost\"}")).isEqualTo(MESSAGES);
            assertThat(query(prometheusPort, "mailslot_tls_identity_remaining_seconds > 86400")).isPositive();
        });

        // Once the crypto policy is back, the messages are delivered into the local Maildir: the route "local".
        cryptoBundle().start();
        await().untilAsserted(() -> {
            assertThat(query(prometheusPort, "mailslot_delivery_recipients_total{route=\"local\",outcome=\"delivered\"}"))
                    .isEqualTo(MESSAGES);
            assertThat(query(prometheusPort, "mailslot_queue_depth")).isZero();
        });
        cryptoBundle().stop();
        messagesWaiting = false;
    }

    @Test
    public void theMBeansSayWhatTheShellSays() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        get("/metrics", null);
        assertThat(server.getAttribute(new ObjectName("org.mailslot:type=Queue"), "Depth")).isEqualTo(MESSAGES);
        assertThat(server.getAttribute(new ObjectName("org.mailslot:type=Tls"), "IdentitySubject").toString()).startsWith("CN=");
        assertThat(server.getAttribute(new ObjectName("org.mailslot:type=Listeners"), "MessagesAccepted").toString())
                .contains("submission");
        assertThat(server.getAttribute(new ObjectName("org.mailslot:type=Delivery"), "SuspendedDestinations"))
                .isEqualTo(new String[0]);
    }

    @Test
    public void theStatusPageRefusesWhoeverIsNotAnAdministrator() throws Exception {
        HttpResponse<String> anonymous = get("/mailslot", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(anonymous.body()).doesNotContain("alice@localhost");
        assertThat(get("/mailslot/status.json", basic(ADMIN, "wrong")).statusCode()).isEqualTo(401);
        assertThat(get("/mailslot", basic(TEST_USER, TEST_PASSWORD)).statusCode()).as("a viewer").isEqualTo(403);
        assertThat(get("/mailslot", basic(ADMIN, ADMIN_PASSWORD)).statusCode()).isEqualTo(200);
    }

    @Test
    public void theStatusPageShowsTheSpoolInAHeadlessBrowserWithoutErrors() throws Exception {
        try (DevTools browser = DevTools.start(freePort())) {
            browser.call("Runtime.enable", "{}");
            browser.call("Log.enable", "{}");
            browser.call("Page.enable", "{}");
            browser.call("Network.enable", "{}");
            browser.call("Network.setExtraHTTPHeaders", "{\"headers\":{\"Authorization\":\"" + basic(ADMIN, ADMIN_PASSWORD) + "\"}}");
            browser.call("Page.navigate", "{\"url\":\"http://127.0.0.1:" + httpPort() + "/mailslot\"}");
            await().until(() -> browser.events.stream().anyMatch(e -> e.contains("\"Page.loadEventFired\"")));

            await().untilAsserted(() -> assertThat(evaluate(browser, "document.getElementById('depth').textContent"))
                    .isEqualTo(String.valueOf(MESSAGES)));
            assertThat(evaluate(browser, "document.querySelector('#waiting tbody').textContent"))
                    .contains(MESSAGES + "waiting").contains("crypto-policy");
            assertThat(evaluate(browser, "document.querySelector('#listeners tbody').textContent")).contains("submission");
            assertThat(evaluate(browser, "document.querySelector('#tls tbody').textContent")).contains("CN=").contains("days");
            assertThat(evaluate(browser, "String(document.querySelectorAll('#depth-chart polyline').length)")).isEqualTo("1");

            String screenshot = browser.call("Page.captureScreenshot", "{\"format\":\"png\"}");
            Matcher data = Pattern.compile("\"data\":\"([^\"]+)\"").matcher(screenshot);
            assertThat(data.find()).isTrue();
            Files.write(Path.of(System.getProperty(SCREENSHOT_PROPERTY)), Base64.getDecoder().decode(data.group(1)));

            List<String> errors = new ArrayList<>();
            for (String event : browser.events) {
                if (event.contains("\"Runtime.exceptionThrown\"")
                        || event.contains("\"Runtime.consoleAPICalled\"") && event.contains("\"type\":\"error\"")
                        || event.contains("\"Log.entryAdded\"") && event.contains("\"level\":\"error\"")) {
                    errors.add(event);
                }
            }
            assertThat(errors).as("console errors").isEmpty();
        }
    }

    private static String evaluate(DevTools browser, String expression) throws Exception {
        String answer = browser.call("Runtime.evaluate", "{\"expression\":\"" + expression + "\",\"returnByValue\":true}");
        Matcher value = Pattern.compile("\"value\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(answer);
        return value.find() ? value.group(1) : answer;
    }

    /** @return the single value of an instant PromQL query, as a number; -1 when the result is empty */
    private static double query(int prometheusPort, String promql) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher value = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"]").matcher(response.body());
        return value.find() ? Double.parseDouble(value.group(1)) : -1;
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int httpPort() throws Exception {
        Path config = Path.of(System.getProperty("karaf.etc"), "org.ops4j.pax.web.cfg");
        Matcher port = Pattern.compile("(?m)^org\\.osgi\\.service\\.http\\.port\\s*=\\s*(\\d+)").matcher(Files.readString(config));
        assertThat(port.find()).as(config.toString()).isTrue();
        return Integer.parseInt(port.group(1));
    }

    private Bundle cryptoBundle() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(bundle -> bundle.getSymbolicName().equals("org.mailslot.crypto")).findFirst().orElseThrow();
    }
}
