package org.mailslot.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ComponentConfigTest {

    @interface Config {
        String host();

        int port() default 587;

        String tls_mode() default "starttls-required";

        String _password() default "";

        String[] domains() default {"*"};

        boolean tls_verify() default true;
    }

    @Test
    void answersAsDeclarativeServicesWould() {
        Config config = ComponentConfig.of(Config.class, Map.of(
                "host", "smtp.example.org", "port", "2525", ".password", "secret", "domains", "example.org",
                "tls.verify", false));

        assertThat(config.host()).isEqualTo("smtp.example.org");
        assertThat(config.port()).isEqualTo(2525);
        assertThat(config.tls_mode()).isEqualTo("starttls-required");
        assertThat(config._password()).isEqualTo("secret");
        assertThat(config.domains()).containsExactly("example.org");
        assertThat(config.tls_verify()).isFalse();
        assertThat(config.annotationType()).isEqualTo(Config.class);
    }
}
