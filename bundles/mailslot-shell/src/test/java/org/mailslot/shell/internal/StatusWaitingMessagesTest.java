package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.spool.RecipientState.Status;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class StatusWaitingMessagesTest {

    private static final String NO_OPENPGP = "encryption required for x@example.org: mailslot-openpgp not available";

    @Test
    void groupsTheWaitingMessagesByWhatTheyWaitForBesideTheMissingService() {
        List<QueueEntry> spool = List.of(
                entry("a1", Status.DEFERRED, NO_OPENPGP, false),
                entry("a2", Status.DEFERRED, NO_OPENPGP, false),
                entry("a3", Status.DEFERRED, NO_OPENPGP, false),
                entry("a4", Status.DEFERRED, NO_OPENPGP, false),
                entry("b1", Status.DEFERRED, "no MailTransport service: waiting for mailslot-transport", false),
                entry("c1", Status.DEFERRED, null, true),
                entry("d1", Status.PENDING, null, false));

        String output = print(List.of(unsatisfiedPolicy()), spool);

        assertThat(output).startsWith("Mailslot: 1 components, 1 not running; 7 messages in the spool, 6 waiting");
        assertThat(line(output, "org.mailslot.crypto.policy")).contains("unsatisfied")
                .contains("missing crypto (org.mailslot.api.crypto.MessageCrypto (mailslot.crypto.technology=pgp))");
        assertThat(output).contains("Spool: 7 messages in the spool, 6 waiting");
        assertThat(line(output, NO_OPENPGP)).containsPattern("^\\s*4 \\| ").contains("a1, a2, a3, ...");
        assertThat(line(output, "waiting for mailslot-transport")).containsPattern("^\\s*1 \\| ").contains("b1");
        assertThat(line(output, WaitingMessages.HELD)).contains("c1");
        assertThat(output).doesNotContain("d1");
        assertThat(output.indexOf(NO_OPENPGP)).isLessThan(output.indexOf("waiting for mailslot-transport"));
    }

    @Test
    void saysWhenNothingWaitsAndWhenThereIsNoSpool() {
        String empty = print(List.of(), List.of());
        String noSpool = print(List.of(), null);

        assertThat(empty).contains("Spool: 0 messages in the spool, 0 waiting").doesNotContain("Waiting for");
        assertThat(noSpool).contains("Spool: missing: no MailQueue service registered (is mailslot-spool started?)");
    }

    private static QueueEntry entry(String id, Status status, String lastError, boolean held) {
        RecipientState recipient = new RecipientState(MailAddress.parse("x@example.org"), status,
                Optional.ofNullable(lastError));
        return new QueueEntry(id, Optional.of(MailAddress.parse("s@example.org")), List.of(recipient), 100,
                Instant.parse("2026-11-28T00:00:00Z"), lastError == null ? 0 : 2,
                held ? Optional.empty() : Optional.of(Instant.parse("2026-11-28T01:00:00Z")),
                Optional.ofNullable(lastError), held);
    }

    private static ComponentStates.Row unsatisfiedPolicy() {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = "org.mailslot.crypto.policy";
        description.configurationPolicy = "optional";
        description.configurationPid = new String[] {description.name};
        ReferenceDTO crypto = new ReferenceDTO();
        crypto.name = "crypto";
        crypto.interfaceName = "org.mailslot.api.crypto.MessageCrypto";
        description.references = new ReferenceDTO[] {crypto};
        description.bundle = new org.osgi.framework.dto.BundleDTO();
        description.bundle.symbolicName = "org.mailslot.crypto";
        UnsatisfiedReferenceDTO missing = new UnsatisfiedReferenceDTO();
        missing.name = "crypto";
        missing.target = "(mailslot.crypto.technology=pgp)";
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        configuration.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missing};
        return ComponentStates.rows(description, true, List.of(configuration)).get(0);
    }

    private static String print(List<ComponentStates.Row> rows, List<QueueEntry> spool) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusCommand.print(rows, spool, List.of(), null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String line(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + output));
    }
}
