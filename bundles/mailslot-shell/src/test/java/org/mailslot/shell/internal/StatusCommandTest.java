package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.api.tls.TlsStatus;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class StatusCommandTest {

    @Test
    void printsEachComponentWithWhyItIsNotActive() {
        ComponentDescriptionDTO active = description("org.mailslot.port.submission", "optional");
        ComponentDescriptionDTO waiting = description("org.mailslot.relay", "optional");
        ReferenceDTO transport = new ReferenceDTO();
        transport.name = "transport";
        transport.interfaceName = "org.mailslot.api.transport.MailTransport";
        waiting.references = new ReferenceDTO[] {transport};
        UnsatisfiedReferenceDTO missing = new UnsatisfiedReferenceDTO();
        missing.name = "transport";
        ComponentConfigurationDTO unsatisfied = configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        unsatisfied.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missing};
        ComponentDescriptionDTO broken = description("org.mailslot.port", "require");
        ComponentConfigurationDTO failed = configuration(ComponentConfigurationDTO.FAILED_ACTIVATION);
        failed.properties = Map.of("service.pid", "org.mailslot.port.6f0c2a", "service.factoryPid", "org.mailslot.port",
                "felix.fileinstall.filename", "file:/opt/mailslot/etc/org.mailslot.port-custom.cfg");
        failed.failure = "org.osgi.service.component.ComponentException: java.lang.IllegalArgumentException\n"
                + "\tat org.apache.felix.scr...\n"
                + "Caused by: java.lang.IllegalArgumentException: Unknown TLS mode \"ssl\"\n\tat ...";

        List<ComponentStates.Row> rows = new java.util.ArrayList<>();
        rows.addAll(ComponentStates.rows(active, true, List.of(configuration(ComponentConfigurationDTO.ACTIVE))));
        rows.addAll(ComponentStates.rows(waiting, true, List.of(unsatisfied)));
        rows.addAll(ComponentStates.rows(broken, true, List.of(failed)));
        rows.addAll(ComponentStates.rows(description("org.mailslot.listener", "require"), true, List.of()));
        rows.addAll(ComponentStates.rows(description("org.mailslot.off", "optional"), false, List.of()));

        String output = print(rows, List.of(
                new PortStrategyRows.Row(587, "submission", "starttls-required", "required", 10, "configuration custom", true),
                new PortStrategyRows.Row(587, "submission", "starttls-required", "required", 0, "built-in", false)));

        assertThat(output).contains("Mailslot: 5 components, 3 not running");
        assertThat(line(output, "org.mailslot.port.submission")).contains("active");
        assertThat(line(output, "org.mailslot.relay")).contains("unsatisfied")
                .contains("missing transport (org.mailslot.api.transport.MailTransport)");
        assertThat(line(output, "org.mailslot.port [custom]")).contains("failed")
                .contains("Unknown TLS mode \"ssl\"").doesNotContain("IllegalArgumentException");
        assertThat(line(output, "org.mailslot.listener")).contains("unconfigured")
                .contains("etc/org.mailslot.listener-NAME.cfg");
        assertThat(line(output, "org.mailslot.off")).contains("disabled").contains("scr:enable org.mailslot.off");
        assertThat(line(output, "built-in")).contains("587").contains("starttls-required").contains(" no ");
        assertThat(line(output, "configuration custom")).contains(" yes ");
    }

    @Test
    void saysSoWhenAllIsWell() {
        String output = print(ComponentStates.rows(description("org.mailslot.port.relay", "optional"), true,
                List.of(configuration(ComponentConfigurationDTO.SATISFIED))), List.of());

        assertThat(output).startsWith("Mailslot: 1 components, all active or satisfied");
    }

    @Test
    void showsTheTlsIdentityAndItsLastError() {
        TlsIdentity identity = new TlsIdentity() {
            public String subject() { return "CN=mail.example.org"; }
            public String issuer() { return "CN=Example CA"; }
            public List<String> subjectAlternativeNames() { return List.of("mail.example.org"); }
            public Instant notBefore() { return Instant.parse("2026-01-01T00:00:00Z"); }
            public Instant notAfter() { return Instant.parse("2027-01-01T00:00:00Z"); }
            public String sha256Fingerprint() { return "AB:CD"; }
            public String source() { return "/etc/mailslot/tls/server.p12"; }
            public boolean selfSignedDefault() { return false; }
            public Instant loadedAt() { return Instant.parse("2026-11-01T00:00:00Z"); }
        };
        TlsStatus status = new TlsStatus() {
            public Optional<TlsIdentity> identity() { return Optional.of(identity); }
            public Optional<String> lastError() { return Optional.of("/etc/mailslot/tls/new.p12: wrong password"); }
            public Optional<Instant> lastErrorAt() { return Optional.of(Instant.parse("2026-11-28T00:00:00Z")); }
            public List<String> protocols() { return List.of("TLSv1.3", "TLSv1.2"); }
            public List<String> cipherSuites() { return List.of(); }
            public int extraTrustAnchors() { return 0; }
        };

        String output = print(List.of(), List.of(), status);

        assertThat(line(output, "identity")).contains("CN=mail.example.org");
        assertThat(line(output, "expires")).contains("2027-01-01T00:00:00Z");
        assertThat(line(output, "error")).contains("/etc/mailslot/tls/new.p12: wrong password");
        assertThat(line(output, "protocols")).contains("TLSv1.3, TLSv1.2");
        assertThat(print(List.of(), List.of(), null)).contains("missing: no TlsService registered");
    }

    private static String print(List<ComponentStates.Row> rows, List<PortStrategyRows.Row> strategies) {
        return print(rows, strategies, null);
    }

    private static String print(List<ComponentStates.Row> rows, List<PortStrategyRows.Row> strategies, TlsStatus tls) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusCommand.print(rows, strategies, tls, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String line(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + output));
    }

    private static ComponentDescriptionDTO description(String name, String policy) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = name;
        description.configurationPolicy = policy;
        description.configurationPid = new String[] {name};
        description.references = new ReferenceDTO[0];
        description.bundle = new BundleDTO();
        description.bundle.symbolicName = "org.mailslot.test";
        return description;
    }

    private static ComponentConfigurationDTO configuration(int state) {
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.state = state;
        configuration.properties = Map.of("component.name", "x");
        return configuration;
    }
}
