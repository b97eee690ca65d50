package org.mailslot.itests;

import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * What every integration test needs (one Karaf for the whole suite: every class but those in the
 * category {@link OwnKaraf} has this same configuration and runs with {@code PerSuite}, so each puts back
 * what it changes and tells its own mail from the others'): the built distribution booted by Pax Exam,
 * shell command execution, configuration helpers, free ports, and waiting without sleeping.
 *
 * <p>The configuration method runs in the test JVM; everything else runs inside Karaf, in the
 * test probe bundle.
 */
public abstract class MailslotTestSupport {

    protected static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A Karaf realm user the tests authenticate as (only in the test runtime's users.properties). */
    protected static final String TEST_USER = "submitter";
    protected static final String TEST_PASSWORD = "s3cret-pass";

    /** Shell users over SSH: one with only the viewer role, one operator with every role. */
    protected static final String VIEWER_USER = "shell-viewer";
    protected static final String OPERATOR_USER = "shell-operator";
    protected static final String SHELL_PASSWORD = "a-long-shell-password";

    /** The roles {@link #executeCommand} runs with: an operator's, as the README's {@code ops} user has them. */
    private static final List<String> OPERATOR_ROLES = List.of("admin", "manager", "viewer", "systembundles", "ssh");

    /** A free port chosen where Pax Exam builds the configuration, handed to the tests inside Karaf. */
    protected static final String SUBMISSION_PORT_PROPERTY = "mailslot.itest.submission.port";

    /** The project's version inside Karaf, for {@code mvn:} URLs of artifacts built with it (the examples). */
    protected static final String VERSION_PROPERTY = "mailslot.itest.version";

    /** The project's README.md inside Karaf, for the tests that hold the code to it. */
    protected static final String README_PROPERTY = "mailslot.itest.readme";

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    @Inject
    protected ServiceComponentRuntime componentRuntime;

    private final List<org.osgi.service.cm.Configuration> createdConfigurations = new ArrayList<>();
    /** Each configuration {@link #setConfiguration} changed, newest first, with what the keys it set were. */
    private final List<ChangedConfiguration> changedConfigurations = new ArrayList<>();

    private record ChangedConfiguration(String pid, Map<String, Object> before) {
    }

    @Configuration
    public Option[] config() {
        String distribution = System.getProperty("mailslot.distribution");
        if (distribution == null || !new File(distribution).isFile()) {
            throw new IllegalStateException("The distribution archive " + distribution
                    + " is missing; build karaf-assembly first (mvn verify from the top level does)");
        }
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(distribution).toURI().toString())
                    .name("Mailslot")
                    .karafVersion(System.getProperty("karaf.version"))
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository")),
            // The distribution's own repositories, and the example built beside it (not installed by `mvn verify`).
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                    "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                            + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                            + "${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots,"
                            + new File(System.getProperty("examples.repository")).toURI() + "@id=examples@snapshots"),
            systemProperty("mailslot.itest").value("true"),
            // ArtemisPeer finds the broker's distribution in the build's local repository (ArtemisQueueIT).
            systemProperty("maven.repo.local").value(System.getProperty("maven.repo.local")),
            systemProperty(SUBMISSION_PORT_PROPERTY).value(String.valueOf(freePort())),
            systemProperty(VERSION_PROPERTY).value(System.getProperty("project.version")),
            systemProperty(README_PROPERTY).value(new File(System.getProperty("mailslot.readme", "../README.md"))
                    .getAbsolutePath()),
            editConfigurationFilePut("etc/users.properties", TEST_USER, TEST_PASSWORD + ",viewer"),
            editConfigurationFilePut("etc/users.properties", VIEWER_USER, SHELL_PASSWORD + ",viewer,ssh"),
            editConfigurationFilePut("etc/users.properties", OPERATOR_USER,
                    SHELL_PASSWORD + "," + String.join(",", OPERATOR_ROLES)),
            // The local users the tests write to, beside the realm's users (the shipped default); an
            // invented name such as nobody1@localhost stays unknown (SubmissionIT).
            editConfigurationFilePut("etc/org.mailslot.delivery.cfg", "local.recipients",
                    "jaas:karaf, alice, bob, reader, victim, load*, crypto-it, smime-it, secret, plain"),
            mavenBundle("org.hamcrest", "hamcrest", System.getProperty("hamcrest.version")),
            mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version")),
            mavenBundle("net.bytebuddy", "byte-buddy", System.getProperty("byte-buddy.version")),
            mavenBundle("org.assertj", "assertj-core", System.getProperty("assertj.version")),
        };
    }

    /** @return a TCP port that was free on the loopback interface a moment ago */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return Awaitility, polling every 100 ms for up to {@link #TIMEOUT} */
    protected static ConditionFactory await() {
        return Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    /**
     * Runs a shell command as an operator would type it, with an operator's roles (the command ACLs
     * apply as over SSH).
     *
     * @return what the command printed, standard output and error together
     * @throws AssertionError if the command failed, with its output
     */
    protected String executeCommand(String command) {
        CommandRun run = run(command);
        if (run.failure() != null) {
            throw new AssertionError("'" + command + "' failed: " + run.failure() + "\n" + run.output(), run.failure());
        }
        return run.output();
    }

    /**
     * Runs a shell command that should fail, as an operator's mistake would.
     *
     * @return the failure's message and whatever the command printed
     * @throws AssertionError if the command succeeded
     */
    protected String executeCommandExpectingFailure(String command) {
        CommandRun run = run(command);
        if (run.failure() == null) {
            throw new AssertionError("'" + command + "' succeeded: " + run.output());
        }
        return run.failure().getMessage() + "\n" + run.output();
    }

    /**
     * Runs {@code mailslot:status}, which fails once it has printed its tables when Mailslot is not healthy.
     *
     * @return what it printed, and when it failed, the failure's message after it
     */
    protected String status() {
        CommandRun run = run("mailslot:status");
        return run.output() + (run.failure() == null ? "" : run.failure().getMessage());
    }

    private record CommandRun(String output, Exception failure) {
    }

    private CommandRun run(String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(InputStream.nullInputStream(), out, out);
        Exception failure = null;
        try {
            Subject.doAs(operator(), (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (PrivilegedActionException e) {
            failure = e.getException();
        } catch (Exception e) {
            failure = e;
        } finally {
            session.close();
        }
        return new CommandRun(bytes.toString(StandardCharsets.UTF_8), failure);
    }

    /** @return the names of the commands in the scope, as the shell shows them to an operator (the command ACL hides them from nobody) */
    protected Set<String> commandsOf(String scope) throws Exception {
        Session session = sessionFactory.create(InputStream.nullInputStream(), System.out, System.err);
        try {
            return Subject.doAs(operator(), (PrivilegedExceptionAction<Set<String>>) () -> session.getRegistry().getCommands()
                    .stream().filter(command -> command.getScope().equals(scope))
                    .map(org.apache.karaf.shell.api.console.Command::getName)
                    .collect(java.util.stream.Collectors.toSet()));
        } finally {
            session.close();
        }
    }

    /** The shell's directory of files ({@code org.mailslot.shell files.directory} as shipped), created owner-only. */
    protected static java.nio.file.Path shellFiles() throws IOException {
        return java.nio.file.Files.createDirectories(java.nio.file.Path.of(System.getProperty("karaf.data"), "mailslot", "shell"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Copies a file into the shell's directory, owner-only, as an operator would before naming it in a
     * command that reads a file.
     *
     * @return the name the command takes
     */
    protected static String inShellFiles(java.nio.file.Path file) throws IOException {
        java.nio.file.Path directory = shellFiles();
        java.nio.file.Files.copy(file, directory.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file.getFileName().toString();
    }

    /** @return a shell user with every role the commands ask for, as the ITs run commands */
    static Subject operator() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(OPERATOR_USER));
        OPERATOR_ROLES.forEach(role -> subject.getPrincipals().add(new RolePrincipal(role)));
        return subject;
    }

    /** Creates a factory configuration that {@link #deleteCreatedConfigurations()} removes again. */
    protected org.osgi.service.cm.Configuration createFactoryConfiguration(String factoryPid, String name,
            Map<String, ?> properties) throws IOException {
        org.osgi.service.cm.Configuration configuration =
                configurationAdmin.getFactoryConfiguration(factoryPid, name, "?");
        Dictionary<String, Object> dictionary = new Hashtable<>(properties);
        configuration.update(dictionary);
        createdConfigurations.add(configuration);
        return configuration;
    }

    protected void deleteCreatedConfigurations() throws IOException {
        for (org.osgi.service.cm.Configuration configuration : createdConfigurations) {
            configuration.delete();
        }
        createdConfigurations.clear();
    }

    /**
     * Sets properties of a singleton configuration, keeping its others, until
     * {@link #restoreConfigurations()} puts back what they were.
     */
    protected void setConfiguration(String pid, Map<String, ?> properties) throws IOException {
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> current = propertiesOf(configuration);
        Map<String, Object> before = new java.util.HashMap<>();
        properties.forEach((key, value) -> before.put(key, current.put(key, value)));
        configuration.update(current);
        changedConfigurations.add(0, new ChangedConfiguration(pid, before));
    }

    /**
     * Puts back what {@link #setConfiguration} changed, by updating, never by deleting: File Install,
     * deleting the file of a deleted configuration, could delete the next test's new one with it.
     */
    protected void restoreConfigurations() throws IOException {
        for (ChangedConfiguration changed : changedConfigurations) {
            org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(changed.pid(), "?");
            Dictionary<String, Object> current = propertiesOf(configuration);
            changed.before().forEach((key, value) -> {
                if (value == null) {
                    current.remove(key);
                } else {
                    current.put(key, value);
                }
            });
            configuration.update(current);
        }
        changedConfigurations.clear();
    }

    private static Dictionary<String, Object> propertiesOf(org.osgi.service.cm.Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        Hashtable<String, Object> copy = new Hashtable<>();
        if (properties != null) {
            for (java.util.Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                copy.put(key, properties.get(key));
            }
        }
        return copy;
    }

    /** @return Mailslot's own bundles: those whose symbolic name starts with {@code org.mailslot.} */
    protected List<Bundle> mailslotBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(bundle -> bundle.getSymbolicName().startsWith("org.mailslot.")
                        && !bundle.equals(bundleContext.getBundle()))
                .toList();
    }

    /** @return the components of Mailslot's bundles */
    protected List<ComponentDescriptionDTO> mailslotComponents() {
        return List.copyOf(componentRuntime.getComponentDescriptionDTOs(mailslotBundles().toArray(Bundle[]::new)));
    }

    /** @return the configurations of a component, by name */
    protected List<ComponentConfigurationDTO> configurationsOf(String componentName) {
        return mailslotComponents().stream()
                .filter(description -> description.name.equals(componentName))
                .flatMap(description -> componentRuntime.getComponentConfigurationDTOs(description).stream())
                .toList();
    }

    protected static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }
}
