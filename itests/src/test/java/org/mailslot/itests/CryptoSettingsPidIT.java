package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.mail.MailAddress;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/**
 * OpenPGP and S/MIME read their own PIDs, {@code org.mailslot.openpgp} and {@code org.mailslot.smime};
 * a configuration written when they shared {@code org.mailslot.crypto} with the policy still works,
 * and the log names the PID each of its properties belongs to now. What shows that a setting took:
 * a generated key lands in the key directory it names.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class CryptoSettingsPidIT extends MailslotTestSupport {

    private static final String OLD_PID = "org.mailslot.crypto";
    private static final String OPENPGP = "org.mailslot.openpgp";
    private static final String SMIME = "org.mailslot.smime";
    private static final MailAddress OWNER = MailAddress.parse("moved-settings@localhost");

    private Path root;
    private Dictionary<String, Object> policyBefore;

    @Before
    public void remember() throws IOException {
        root = Files.createTempDirectory(Path.of(System.getProperty("karaf.data")), "crypto-pids");
        Dictionary<String, Object> properties = configurationAdmin.getConfiguration(OLD_PID, "?").getProperties();
        policyBefore = properties == null ? null : copy(properties);
    }

    @After
    public void putThingsBack() throws IOException {
        configurationAdmin.getConfiguration(OPENPGP, "?").delete();
        configurationAdmin.getConfiguration(SMIME, "?").delete();
        Configuration policy = configurationAdmin.getConfiguration(OLD_PID, "?");
        if (policyBefore == null) {
            policy.delete();
        } else {
            policy.update(policyBefore);
        }
        // Back to the default directory: the property unset, or empty.
        awaitConfigured(OPENPGP, "openpgp.keys.directory", "");
        awaitConfigured(SMIME, "smime.directory", "");
    }

    @Test
    public void theSharedPidOfBeforeStillConfiguresBothAndTheLogSaysWhereEachPropertyBelongs() throws Exception {
        Path pgp = root.resolve("old-openpgp");
        Path smime = root.resolve("old-smime");
        updateOldPid(Map.of("openpgp.keys.directory", pgp.toString(), "smime.directory", smime.toString()));

        awaitConfigured(OPENPGP, "openpgp.keys.directory", pgp.toString());
        awaitConfigured(SMIME, "smime.directory", smime.toString());
        assertThat(generatedKeyLandsIn("pgp", pgp)).isTrue();
        assertThat(generatedKeyLandsIn("smime", smime)).isTrue();
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        await().untilAsserted(() -> assertThat(log).content()
                .contains("Configuration org.mailslot.crypto sets openpgp.keys.directory, which belongs to"
                        + " org.mailslot.openpgp now: move it to etc/org.mailslot.openpgp.cfg")
                .contains("Configuration org.mailslot.crypto sets smime.directory, which belongs to"
                        + " org.mailslot.smime now: move it to etc/org.mailslot.smime.cfg"));
    }

    @Test
    public void theirOwnPidsConfigureThemAndWinOverTheSharedOne() throws Exception {
        Path pgp = root.resolve("own-openpgp");
        Path smime = root.resolve("own-smime");
        configurationAdmin.getConfiguration(OPENPGP, "?").update(new Hashtable<>(Map.of("openpgp.keys.directory", pgp.toString())));
        configurationAdmin.getConfiguration(SMIME, "?").update(new Hashtable<>(Map.of("smime.directory", smime.toString())));
        awaitConfigured(OPENPGP, "openpgp.keys.directory", pgp.toString());
        awaitConfigured(SMIME, "smime.directory", smime.toString());
        // The shared PID also sets a property the own PIDs leave alone: that one is still read from it.
        updateOldPid(Map.of("openpgp.keys.directory", root.resolve("old-openpgp").toString(),
                "openpgp.max.compression.depth", "3", "smime.directory", root.resolve("old-smime").toString(),
                "smime.legacy.recipients", "legacy.example"));

        awaitConfigured(OPENPGP, "openpgp.max.compression.depth", "3");
        awaitConfigured(SMIME, "smime.legacy.recipients", "legacy.example");
        awaitConfigured(OPENPGP, "openpgp.keys.directory", pgp.toString());
        awaitConfigured(SMIME, "smime.directory", smime.toString());
        assertThat(generatedKeyLandsIn("pgp", pgp)).isTrue();
        assertThat(generatedKeyLandsIn("smime", smime)).isTrue();
        assertThat(root.resolve("old-openpgp")).doesNotExist();
        assertThat(root.resolve("old-smime")).doesNotExist();
    }

    private void updateOldPid(Map<String, String> moved) throws IOException {
        Dictionary<String, Object> properties = policyBefore == null ? new Hashtable<>() : copy(policyBefore);
        moved.forEach(properties::put);
        configurationAdmin.getConfiguration(OLD_PID, "?").update(properties);
    }

    /** Waits until the component runs with the property at the value ("": unset or empty). */
    private void awaitConfigured(String component, String property, String value) {
        await().untilAsserted(() -> assertThat(configurationsOf(component)).singleElement().satisfies(configuration -> {
            assertThat(configuration.state).isEqualTo(ComponentConfigurationDTO.ACTIVE);
            assertThat(configuration.properties.getOrDefault(property, "")).isEqualTo(value);
        }));
    }

    /** Generates a key with the technology's key store, finds it under the directory, and removes it again. */
    private boolean generatedKeyLandsIn(String technology, Path directory) throws Exception {
        ServiceReference<CryptoKeys> reference = bundleContext
                .getServiceReferences(CryptoKeys.class, "(" + MessageCrypto.TECHNOLOGY + "=" + technology + ")")
                .iterator().next();
        CryptoKeys keys = bundleContext.getService(reference);
        try {
            KeyInfo generated = keys.generate(OWNER);
            try (Stream<Path> files = Files.walk(directory)) {
                String id = generated.id().toLowerCase(Locale.ROOT);
                return files.anyMatch(file -> file.getFileName().toString().toLowerCase(Locale.ROOT).contains(id));
            } finally {
                keys.remove(generated.id());
            }
        } finally {
            bundleContext.ungetService(reference);
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
        Hashtable<String, Object> copy = new Hashtable<>();
        for (String key : java.util.Collections.list(properties.keys())) {
            copy.put(key, properties.get(key));
        }
        return copy;
    }
}
