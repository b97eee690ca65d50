package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The distribution as a newcomer gets it: everything starts, and the shell says so. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class DistributionIT extends MailslotTestSupport {

    private static final List<String> BUNDLES = List.of(
            "org.mailslot.api", "org.mailslot.tls", "org.mailslot.transport", "org.mailslot.shell");
    private static final List<String> BUILT_IN_STRATEGIES = List.of(
            "org.mailslot.port.relay", "org.mailslot.port.submission", "org.mailslot.port.submissions",
            "org.mailslot.port.alternate", "org.mailslot.transport.probe");

    @After
    public void removeConfigurations() throws IOException {
        deleteCreatedConfigurations();
    }

    @Test
    public void everyBundleIsActive() {
        await().untilAsserted(() -> assertThat(Arrays.stream(bundleContext.getBundles())
                .filter(bundle -> !isFragment(bundle) && bundle.getState() != Bundle.ACTIVE)
                .map(bundle -> bundle.getSymbolicName() + " is " + bundle.getState()))
                .isEmpty());
        assertThat(mailslotBundles()).extracting(Bundle::getSymbolicName).containsAll(BUNDLES);
    }

    @Test
    public void everyMailslotComponentIsActiveOrSatisfied() {
        await().untilAsserted(() -> {
            assertThat(mailslotComponents()).extracting(description -> description.name).containsAll(BUILT_IN_STRATEGIES);
            for (ComponentDescriptionDTO description : mailslotComponents()) {
                assertThat(componentRuntime.isComponentEnabled(description)).as(description.name + " enabled").isTrue();
                for (ComponentConfigurationDTO configuration : componentRuntime.getComponentConfigurationDTOs(description)) {
                    assertThat(configuration.state).as(description.name + " state")
                            .isIn(ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED);
                }
            }
        });
    }

    /**
     * Felix SCR logs an ERROR when a component's references lead back to it (a component the spool reaches,
     * holding a reference to the spool); it happened at every boot before the callers looked the spool up.
     */
    @Test
    public void noMailslotComponentReferencesLeadBackToItself() throws IOException {
        everyMailslotComponentIsActiveOrSatisfied();
        Path karafLog = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        try (Stream<String> lines = Files.lines(karafLog, StandardCharsets.UTF_8)) {
            assertThat(lines.filter(line -> line.contains("Circular reference detected") && line.contains("org.mailslot")))
                    .isEmpty();
        }
    }

    @Test
    public void statusListsEveryComponentAndTheBuiltInPorts() {
        await().untilAsserted(() -> {
            String status = status();

            assertThat(status).contains("all active or satisfied");
            for (ComponentDescriptionDTO description : mailslotComponents()) {
                assertThat(status).contains(description.name);
            }
            assertThat(status).containsPattern("(?m)^\\s+25 \\| relay\\s+\\| starttls-opportunistic\\s+\\| optional")
                    .containsPattern("(?m)^\\s*465 \\| submissions\\s+\\| implicit")
                    .containsPattern("(?m)^\\s*587 \\| submission\\s+\\| starttls-required\\s+\\| required")
                    .containsPattern("(?m)^\\s*2525 \\| alternate\\s+\\| starttls-required\\s+\\| required");
            assertThat(status).containsPattern("identity\\s+\\| CN=.*\\(generated self-signed default\\)")
                    .containsPattern("protocols\\s+\\| TLSv1.3, TLSv1.2")
                    .doesNotContainPattern("(?m)^error");
        });
    }

    @Test
    public void aConfiguredStrategyOverridesTheBuiltInOneAndABadOneSaysWhy() throws IOException {
        createFactoryConfiguration("org.mailslot.port", "lab", Map.of(
                "port", 587, "role", "submission", "tls.mode", "implicit", "auth.policy", "required"));
        createFactoryConfiguration("org.mailslot.port", "typo", Map.of(
                "port", 2525, "role", "alternate", "tls.mode", "ssl", "auth.policy", "required"));

        await().untilAsserted(() -> {
            String ports = executeCommand("mailslot:ports");
            assertThat(ports).containsPattern("(?m)^\\s*587 \\| submission\\s+\\| implicit\\s+\\| required\\s+\\|\\s+10 \\| yes\\s+\\| configuration lab")
                    .containsPattern("(?m)^\\s*587 \\| submission\\s+\\| starttls-required\\s+\\| required\\s+\\|\\s+0 \\| no\\s+\\| built-in")
                    .containsPattern("(?m)^\\s*2525 \\| alternate\\s+\\| starttls-required\\s+\\| required\\s+\\|\\s+0 \\| yes");
            String status = status();
            assertThat(status).containsPattern("org.mailslot.port \\[typo\\]\\s+\\| org.mailslot.transport\\s+\\| failed\\s+\\| Unknown TLS mode \"ssl\"")
                    .contains("1 not running");
        });

        deleteCreatedConfigurations();

        await().untilAsserted(() -> assertThat(executeCommand("mailslot:ports")).doesNotContain("configuration lab"));
    }

    @Test
    public void probeReportsAClosedPortAsRefused() {
        int closed = freePort();

        await().untilAsserted(() -> assertThat(executeCommand("mailslot:probe 127.0.0.1 --ports " + closed + " --timeout 2"))
                .contains("127.0.0.1:" + closed + "  refused")
                .contains("error        connection refused"));
    }

    @Test
    public void queueCommandsNameAMessageThatIsNotThere() {
        await().untilAsserted(() -> assertThat(executeCommandExpectingFailure("mailslot:queue-hold no-such-id"))
                .contains("No message no-such-id in the queue"));
        assertThat(executeCommand("mailslot:queue")).doesNotContain("no-such-id");
    }
}
