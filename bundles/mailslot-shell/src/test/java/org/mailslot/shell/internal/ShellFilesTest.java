package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class ShellFilesTest {

    /** Config Admin holding org.mailslot.shell with this files.directory, or no such configuration. */
    private static ConfigurationAdmin configAdmin(String directory) {
        Hashtable<String, Object> properties = new Hashtable<>();
        if (directory != null) {
            properties.put(ShellFiles.DIRECTORY_PROPERTY, directory);
        }
        Configuration configuration = (Configuration) Proxy.newProxyInstance(ShellFilesTest.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, arguments) -> properties);
        return (ConfigurationAdmin) Proxy.newProxyInstance(ShellFilesTest.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, arguments) -> {
                    assertThat(method.getName()).isEqualTo("listConfigurations");
                    assertThat(arguments[0]).isEqualTo("(service.pid=org.mailslot.shell)");
                    return directory == null ? null : new Configuration[] {configuration};
                });
    }

    @Test
    void theDirectoryIsConfiguredAbsoluteOrDefaultsUnderKarafData() throws Exception {
        assertThat(ShellFiles.configured(configAdmin("/srv/mailslot/shell")).directory()).isEqualTo(Path.of("/srv/mailslot/shell"));
        assertThat(ShellFiles.configured(configAdmin(null)).directory())
                .isEqualTo(Path.of(System.getProperty("karaf.data", "data"), "mailslot", "shell").toAbsolutePath());

        assertThatThrownBy(() -> ShellFiles.configured(configAdmin("shell-files"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("org.mailslot.shell files.directory must be an absolute path: shell-files");
    }
}
