package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Mailslot as a user adds it to a Karaf they already run: a stock Apache Karaf, Mailslot's features
 * repository added, {@code feature:install mailslot}, and none of the distribution's {@code etc/}
 * files. The fail-closed defaults must hold there too: with {@code mailslot-crypto} stopped, a
 * submitted message waits in the queue for the missing stage instead of being delivered, and goes
 * once the bundle is back.
 *
 * <p>A Karaf of its own (not the suite's Mailslot distribution), so this class runs {@code PerClass}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@Category(OwnKaraf.class)
public class StockKarafIT {

    private static final String FEATURES_PROPERTY = "mailslot.itest.features";
    private static final String RECIPIENT = "alice@localhost";

    @Inject
    private BundleContext bundleContext;

    @Inject
    private FeaturesService featuresService;

    @Inject
    private SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        String karafVersion = System.getProperty("karaf.version");
        String localRepository = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        File features = new File(System.getProperty("mailslot.features"));
        File builtArtifacts = new File(System.getProperty("mailslot.system.repository"));
        if (!features.isFile() || !builtArtifacts.isDirectory()) {
            throw new IllegalStateException("The features file " + features + " or the distribution's " + builtArtifacts
                    + " is missing; build features and karaf-assembly first (mvn verify from the top level does)");
        }
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(maven("org.apache.karaf", "apache-karaf", karafVersion).type("zip"))
                    .name("Apache Karaf")
                    .karafVersion(karafVersion)
                    .unpackDirectory(new File("target/exam-stock"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            // As the README's quick start does: the recipient is a user of the Karaf realm, which is who
            // local.recipients (default jaas:karaf) accepts; a stock Karaf has no user at all.
            editConfigurationFilePut("etc/users.properties", "alice", "a-long-password,viewer"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort",
                    String.valueOf(MailslotTestSupport.freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort",
                    String.valueOf(MailslotTestSupport.freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort",
                    String.valueOf(MailslotTestSupport.freePort())),
            // Third-party bundles come from the build's local repository (whatever -Dmaven.repo.local says);
            // Mailslot's own, which `mvn verify` does not install there, from the distribution built beside them,
            // which holds every bundle the features name in a repository's layout.
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    localRepository),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                    "${karaf.home.uri}system@id=system.repository@snapshots,"
                            + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                            + builtArtifacts.toURI() + "@id=mailslot.build@snapshots"),
            systemProperty(FEATURES_PROPERTY).value(features.toURI().toString()),
            mavenBundle("org.hamcrest", "hamcrest", System.getProperty("hamcrest.version")),
            mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version")),
            mavenBundle("net.bytebuddy", "byte-buddy", System.getProperty("byte-buddy.version")),
            mavenBundle("org.assertj", "assertj-core", System.getProperty("assertj.version")),
        };
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    }

    @Test
    public void withoutTheDistributionsConfigurationMailWaitsForTheMissingCryptoStage() throws Exception {
        assertThat(Path.of(System.getProperty("karaf.etc"), "org.mailslot.delivery.cfg")).doesNotExist();
        assertThat(Path.of(System.getProperty("karaf.etc"), "org.mailslot.retrieval.cfg")).doesNotExist();

        featuresService.addRepository(URI.create(System.getProperty(FEATURES_PROPERTY)));
        // As feature:install does, but without refreshing bundles already there: a refresh would rewire this
        // test's own probe bundle (it imports dynamically) under its feet. Mailslot's bundles are new and
        // resolve as they would after a refresh.
        featuresService.installFeature("mailslot", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        await().untilAsserted(() -> assertThat(status()).contains("all active or satisfied"));

        Bundle crypto = Arrays.stream(bundleContext.getBundles())
                .filter(bundle -> bundle.getSymbolicName().equals("org.mailslot.crypto")).findFirst().orElseThrow();
        crypto.stop();

        run("mailslot:send --from ops@localhost --to " + RECIPIENT + " --subject held --body \"held for the policy\"");

        await().untilAsserted(() -> assertThat(run("mailslot:queue"))
                .contains(RECIPIENT)
                .contains("waiting for the required pipeline stage crypto-policy"));
        assertThat(status()).contains("waiting for the required pipeline stage crypto-policy");
        Path inbox = Path.of(System.getProperty("karaf.data"), "mailslot", "mailboxes", RECIPIENT, "new");
        assertThat(messagesIn(inbox)).as("delivered while the crypto policy was stopped").isZero();

        crypto.start();

        await().untilAsserted(() -> assertThat(messagesIn(inbox)).isEqualTo(1));
        await().untilAsserted(() -> assertThat(run("mailslot:queue")).doesNotContain(RECIPIENT));
    }

    private static long messagesIn(Path maildir) throws Exception {
        if (!Files.isDirectory(maildir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(maildir)) {
            return files.count();
        }
    }

    /** Runs a shell command as an operator would type it; @return what it printed */
    /** mailslot:status's tables, and when Mailslot is not healthy (the command fails after printing them), why. */
    private String status() throws Exception {
        try {
            return run("mailslot:status");
        } catch (IllegalStateException unhealthy) {
            return printed + unhealthy.getMessage();
        }
    }

    /** What the last command printed, even if it failed. */
    private String printed = "";

    private String run(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(InputStream.nullInputStream(), out, out);
        try {
            // The feature's command ACL shows the scope's changing commands to admins only.
            Subject.doAs(MailslotTestSupport.operator(), (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (PrivilegedActionException e) {
            throw e.getException();
        } finally {
            session.close();
            printed = bytes.toString(StandardCharsets.UTF_8);
        }
        return printed;
    }
}
