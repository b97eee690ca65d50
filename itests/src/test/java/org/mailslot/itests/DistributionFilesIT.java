package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.experimental.categories.Category;

/**
 * The shipped archive as an operator unpacks and starts it with its own scripts: what holds users,
 * keys and passwords, and what the running container writes, is its owner's alone; there is no
 * shutdown port for another local user to stop it through, and {@code bin/stop} still stops it.
 *
 * <p>Not a Pax Exam test: Pax Exam's unpacking keeps no file modes and starts no {@code bin/} script.
 */
@Category(OwnKaraf.class)
public class DistributionFilesIT {

    private static final Duration BOOT = Duration.ofSeconds(120);

    private Path home;

    @Before
    public void unpack() throws Exception {
        String distribution = System.getProperty("mailslot.distribution");
        assertThat(new File(distribution)).as("the distribution archive; build karaf-assembly first").isFile();
        Files.createDirectories(Path.of("target"));
        home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "files-");
        run("tar", "xzf", distribution, "-C", home.toString(), "--strip-components=1");
    }

    @After
    public void stopAndRemove() throws IOException {
        pid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    public void theArchiveShipsEtcOwnerOnlyAndNoShutdownPort() throws Exception {
        assertThat(mode(home.resolve("etc"))).isEqualTo("rwx------");
        assertThat(mode(home.resolve("etc/users.properties"))).isEqualTo("rw-------");
        assertThat(mode(home.resolve("etc/keys.properties"))).isEqualTo("rw-------");
        try (Stream<Path> etc = Files.walk(home.resolve("etc"))) {
            assertThat(etc.filter(Files::isRegularFile)).allSatisfy(file -> assertThat(mode(file)).as(file.toString())
                    .isEqualTo("rw-------"));
        }
        assertThat(mode(home.resolve("bin/karaf"))).isEqualTo("rwxr-xr-x");
        assertThat(home.resolve("etc/custom.properties")).content(StandardCharsets.ISO_8859_1)
                .containsPattern("(?m)^karaf.shutdown.port=-1$");
    }

    @Test
    public void startedWithItsScriptsItWritesOwnerOnlyOpensNoShutdownPortAndBinStopStopsIt() throws Exception {
        useFreePorts();

        run("bin/start");
        await().atMost(BOOT).untilAsserted(() -> {
            assertThat(home.resolve("data/mailslot/mailboxes")).isDirectory();
            assertThat(home.resolve("etc/mailslot/tls")).isNotEmptyDirectory();
        });
        long pid = pid().orElseThrow();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());

        assertThat(home.resolve("data/port")).as("the shutdown port's file").doesNotExist();
        assertThat(mode(home.resolve("data/mailslot/spool"))).isEqualTo("rwx------");
        assertThat(mode(home.resolve("data/mailslot/mailboxes"))).isEqualTo("rwx------");
        assertThat(mode(home.resolve("data/log/karaf.log"))).isEqualTo("rw-------");
        try (Stream<Path> tls = Files.list(home.resolve("etc/mailslot/tls"))) {
            assertThat(tls.filter(file -> file.getFileName().toString().contains("key")))
                    .isNotEmpty().allSatisfy(file -> assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------"));
        }
        assertThat(run("bin/status")).contains("Running");
        // Stopping while the features service still provisions can deadlock Felix (see benchmarks/boot-time.sh).
        await().atMost(BOOT).untilAsserted(() -> assertThat(home.resolve("data/log/karaf.log")).content().contains("| Done."));

        run("bin/stop");
        await().atMost(BOOT).until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE);
        // A clean stop, not bin/stop's SIGKILL after its wait: the framework stopped the bundles, logging last.
        assertThat(home.resolve("data/log/karaf.log")).content()
                .contains("Unregistering commands for bundle org.mailslot.shell").contains("Disabling SLF4J API support");
    }

    @Test
    public void karafServiceWritesASystemdUnitWhoseCommandsStartAndStopIt() throws Exception {
        useFreePorts();
        Path service = Files.createDirectories(home.resolve("service"));
        // As README.md says, with -f to write the systemd unit on a host (such as this one) without systemd running.
        ProcessBuilder write = new ProcessBuilder(home.resolve("bin/contrib/karaf-service.sh").toString(),
                "-k", home.toString(), "-n", "mailslot", "-u", "mailslot",
                "-f", home.resolve("bin/contrib/karaf-service-template.systemd").toString(),
                "-e", "JAVA_HOME=" + System.getProperty("java.home"), "-e", "EXTRA_JAVA_OPTS=-Xmx512m")
                .directory(service.toFile()).redirectErrorStream(true);
        Process writing = write.start();
        String written = new String(writing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(writing.waitFor()).as(written).isZero();
        String unit = Files.readString(service.resolve("mailslot"));
        assertThat(unit).contains("ExecStart=" + home + "/bin/karaf daemon").contains("ExecStop=" + home + "/bin/karaf stop")
                .contains("EnvironmentFile=" + home + "/etc/mailslot.conf").contains("User=mailslot")
                .contains("SuccessExitStatus=0 143");

        // What systemd does with the unit: ExecStart with the EnvironmentFile's variables, and later ExecStop.
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : Files.readAllLines(home.resolve("etc/mailslot.conf"))) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                environment.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip().replaceAll("^\"|\"$", ""));
            }
        }
        assertThat(environment).containsEntry("JAVA_HOME", System.getProperty("java.home"));
        ProcessBuilder start = new ProcessBuilder(command(unit, "ExecStart")).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("service/journal").toFile());
        start.environment().putAll(environment);
        Process daemon = start.start();
        Files.writeString(home.resolve("etc/users.properties"), "\nops = a-long-password,admin,viewer,ssh\n",
                StandardOpenOption.APPEND);
        await().atMost(BOOT).untilAsserted(() -> assertThat(run("bin/mailslot", "-u", "ops", "-p", "a-long-password",
                "mailslot:status")).contains("all active or satisfied"));
        assertThat(daemon.isAlive()).isTrue();
        assertThat(pid()).as("the unit's main process is Karaf's JVM itself (bin/karaf daemon execs it)")
                .contains(daemon.pid());
        await().atMost(BOOT).untilAsserted(() -> assertThat(home.resolve("data/log/karaf.log")).content().contains("| Done."));

        ProcessBuilder stop = new ProcessBuilder(command(unit, "ExecStop")).directory(home.toFile()).redirectErrorStream(true);
        stop.environment().putAll(environment);
        Process stopping = stop.start();
        String stopped = new String(stopping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stopping.waitFor()).as(stopped).isZero();
        assertThat(daemon.waitFor(BOOT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as("an exit status the unit's SuccessExitStatus accepts").isIn(0, 143);
    }

    /** @return the command of a unit's {@code Exec...=} line, split at white space as systemd does for plain words */
    private static List<String> command(String unit, String key) {
        return unit.lines().filter(line -> line.startsWith(key + "=")).findFirst()
                .map(line -> List.of(line.substring(key.length() + 1).strip().split("\\s+")))
                .orElseThrow(() -> new AssertionError("no " + key + " in\n" + unit));
    }

    /** The embedded listener and SSH move to free ports, so that a developer's own instance does not collide. */
    private void useFreePorts() throws IOException {
        Files.writeString(home.resolve("etc/org.mailslot.listener-submission.cfg"), "address = 127.0.0.1\nport = "
                + MailslotTestSupport.freePort() + "\nstrategy = 587\nlocal.domains = localhost\n");
        List<String> lines = new ArrayList<>(Files.readAllLines(home.resolve("etc/org.apache.karaf.shell.cfg")));
        lines.replaceAll(line -> line.trim().startsWith("sshPort") ? "sshPort = " + MailslotTestSupport.freePort() : line);
        Files.write(home.resolve("etc/org.apache.karaf.shell.cfg"), lines);
    }

    private Optional<Long> pid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(home.resolve("karaf.pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String run(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        if (command[0].startsWith("bin/")) {
            builder.command().set(0, home.resolve(command[0]).toString());
        }
        builder.environment().put("EXTRA_JAVA_OPTS", "-Xmx512m");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + " printed: " + output).isZero();
        return output;
    }

    private static ConditionFactory await() {
        return Awaitility.await().pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    }
}
