package org.mailslot.queue.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void theFileStoreIsTheDefaultAndNeedsNoBroker() {
        StoreSettings settings = StoreSettings.of(config("file", "", "", "", ""));

        assertThat(settings.artemis()).isFalse();
    }

    @Test
    void theArtemisStoreTakesItsBrokerAndQueue() {
        StoreSettings settings = StoreSettings.of(config(" Artemis ", "(tcp://a:61616,tcp://b:61616)?ha=true",
                "mailslot", "secret", "mail.queue-1"));

        assertThat(settings.artemis()).isTrue();
        assertThat(settings.url()).isEqualTo("(tcp://a:61616,tcp://b:61616)?ha=true");
        assertThat(settings.queue()).isEqualTo("mail.queue-1");
        assertThat(settings.toString()).doesNotContain("secret");
    }

    @Test
    void refusesWhatCannotWorkNamingTheProperty() {
        assertThatThrownBy(() -> StoreSettings.of(config("jdbc", "tcp://a:61616", "u", "p", "q")))
                .hasMessageContaining("store must be file or artemis");
        assertThatThrownBy(() -> StoreSettings.of(config("artemis", " ", "u", "p", "q")))
                .hasMessageContaining("artemis.url");
        assertThatThrownBy(() -> StoreSettings.of(config("artemis", "tcp://a:61616", "", "p", "q")))
                .hasMessageContaining("artemis.user");
        assertThatThrownBy(() -> StoreSettings.of(config("artemis", "tcp://a:61616", "u", "", "q")))
                .hasMessageContaining("artemis.password");
        assertThatThrownBy(() -> StoreSettings.of(config("artemis", "tcp://a:61616", "u", "p", "mail#queue")))
                .hasMessageContaining("artemis.queue");
    }

    @Test
    void refusesAUrlArtemisCannotParse() {
        StoreSettings settings = StoreSettings.of(config("artemis", "nosuchscheme://a:61616", "u", "p", "q"));

        assertThatThrownBy(() -> new Broker(settings)).hasMessageContaining("artemis.url");
    }

    private static QueueConfig config(String store, String url, String user, String password, String queue) {
        return new QueueConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return QueueConfig.class;
            }

            @Override
            public String store() {
                return store;
            }

            @Override
            public String artemis_url() {
                return url;
            }

            @Override
            public String artemis_user() {
                return user;
            }

            @Override
            public String artemis_password() {
                return password;
            }

            @Override
            public String artemis_queue() {
                return queue;
            }
        };
    }
}
