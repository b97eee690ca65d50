package org.mailslot.support.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class StorePassphraseTest {

    /** @return a logger that records the first argument of every warn call */
    private static Logger recording(List<String> warnings) {
        return (Logger) Proxy.newProxyInstance(StorePassphraseTest.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("warn")) {
                        warnings.add((String) arguments[0]);
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
    }

    @Test
    void aGeneratedPassphraseBesideTheKeysIsWarnedAboutAtEachStartAndAConfiguredOneNever(@TempDir Path keys) throws Exception {
        List<String> warnings = new ArrayList<>();
        Path file = keys.resolve(StorePassphrase.FILE_NAME);

        char[] configured = StorePassphrase.resolve("org.mailslot.openpgp", "from-config", file, recording(warnings));
        char[] generated = StorePassphrase.resolve("org.mailslot.openpgp", "", file, recording(warnings));
        char[] again = StorePassphrase.resolve("org.mailslot.openpgp", null, file, recording(warnings));

        assertThat(configured).containsExactly("from-config".toCharArray());
        assertThat(generated).isEqualTo(again).hasSizeGreaterThanOrEqualTo(40);
        assertThat(Files.readString(file)).isEqualTo(new String(generated));
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("generated one into").contains("protected only as well as that file");
        assertThat(warnings.get(1)).contains("protected by the generated passphrase stored beside them");
    }
}
