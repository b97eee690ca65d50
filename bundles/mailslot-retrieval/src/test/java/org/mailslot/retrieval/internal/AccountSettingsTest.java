package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailslot.api.tls.PeerVerification;
import org.mailslot.testing.peers.ComponentConfig;

class AccountSettingsTest {

    private static Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>();
        p.put("host", "imap.example.org");
        p.put("username", "ops");
        p.put(".password", "a-long-password");
        return p;
    }

    private static AccountSettings settings(Map<String, Object> p) {
        return AccountSettings.from("work", ComponentConfig.of(AccountConfig.class, p), p, "/var/karaf/data");
    }

    private static void rejected(String key, Object value, String message) {
        Map<String, Object> p = valid();
        if (value == null) {
            p.remove(key);
        } else {
            p.put(key, value);
        }
        assertThatThrownBy(() -> settings(p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void defaultsAreImapsIdleLeaveAndTheDataDirectory() {
        AccountSettings s = settings(valid());
        assertThat(s.protocol()).isEqualTo(Protocol.IMAP);
        assertThat(s.port()).isEqualTo(993);
        assertThat(s.folders()).containsExactly("INBOX");
        assertThat(s.idle()).isTrue();
        assertThat(s.after()).isEqualTo(AfterHandOff.LEAVE);
        assertThat(s.verification()).isEqualTo(PeerVerification.FULL);
        assertThat(s.directory()).isEqualTo(Path.of("/var/karaf/data/mailslot/retrieved/work"));
        assertThat(s.heartbeat()).isEqualTo(Duration.ofMinutes(4));
        assertThat(s.batchBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(s.handlerTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void pop3DefaultsToPort995AndFoldersParseFromOneValue() {
        Map<String, Object> p = valid();
        p.put("protocol", "POP3");
        assertThat(settings(p).port()).isEqualTo(995);
        Map<String, Object> q = valid();
        q.put("folders", "INBOX, Lists/dev ,INBOX");
        assertThat(settings(q).folders()).containsExactly("INBOX", "Lists/dev");
    }

    /** connect.timeout was a number of seconds and reconnect.max a "5m" in the same PID; now both take both. */
    @Test
    void everyDurationTakesSecondsAndUnits() {
        Map<String, Object> p = valid();
        p.put("connect.timeout", "10s");
        p.put("read.timeout", "10m");
        p.put("reconnect.max", "120");
        p.put("poll.interval", 90);
        p.put("handler.timeout", "PT2M");
        AccountSettings s = settings(p);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.readTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.reconnectMax()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.handlerTimeout()).isEqualTo(Duration.ofMinutes(2));
        rejected("read.timeout", "5 minutes", "Account work: read.timeout must be a duration");
    }

    @Test
    void foldersWithSpacesAreQuoted() {
        Map<String, Object> p = valid();
        p.put("folders", "INBOX \"Sent Items\", Lists/dev");
        assertThat(settings(p).folders()).containsExactly("INBOX", "Sent Items", "Lists/dev");
        p.put("folders", "INBOX, \"Sent Items\"");
        assertThat(settings(p).folders()).as("as the README writes it").containsExactly("INBOX", "Sent Items");
    }

    @Test
    void thePasswordIsNeverShown() {
        assertThat(settings(valid()).toString()).doesNotContain("a-long-password").contains("password hidden");
    }

    @Test
    void thePasswordIsReadUnderTheNameTheReadmeGivesOrWithADot() {
        Map<String, Object> plain = valid();
        plain.remove(".password");
        plain.put("password", "as-the-readme-says");
        assertThat(settings(plain).password()).isEqualTo("as-the-readme-says");
        assertThat(settings(valid()).password()).isEqualTo("a-long-password");
        Map<String, Object> same = valid();
        same.put("password", "a-long-password");
        assertThat(settings(same).password()).isEqualTo("a-long-password");
    }

    @Test
    void twoDifferentPasswordsAreRefusedWithoutShowingEither() {
        Map<String, Object> p = valid();
        p.put("password", "another-password");
        assertThatThrownBy(() -> settings(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Account work: password and .password are both set, to different values; set one of them")
                .message().doesNotContain("another-password").doesNotContain("a-long-password");
    }

    @Test
    void everyWrongValueIsNamed() {
        rejected("host", null, "property host is missing");
        rejected("username", " ", "property username is missing");
        rejected(".password", null, "Account work: neither password nor .password is set");
        rejected("protocol", "smtp", "protocol must be imap or pop3, not 'smtp'");
        rejected("port", 70000, "port must be between 1 and 65535");
        rejected("poll.interval", "soon", "poll.interval must be a duration");
        rejected("heartbeat", "30m", "heartbeat must be at most 29m");
        rejected("heartbeat", "10m", "must be shorter than read.timeout");
        rejected("after.handoff", "archive", "after.handoff must be leave, seen, move or delete");
        rejected("after.handoff", "move", "needs move.to");
        rejected("batch.size", 0, "batch.size must be between 1 and 10000");
        rejected("connect.timeout", 0, "connect.timeout must be longer than zero");
        rejected("folders", new String[] {" "}, "folders is empty");
        rejected("batch.bytes", 100L, "batch.bytes must be between 1024 and 1073741824, not 100");
        rejected("handler.timeout", "never", "handler.timeout must be a duration");
    }

    @Test
    void pop3RefusesImapOnlyChoices() {
        Map<String, Object> p = valid();
        p.put("protocol", "pop3");
        p.put("after.handoff", "seen");
        assertThatThrownBy(() -> settings(p)).hasMessageContaining("after.handoff=seen is for IMAP");
        Map<String, Object> q = valid();
        q.put("protocol", "pop3");
        q.put("folders", "Archive");
        assertThatThrownBy(() -> settings(q)).hasMessageContaining("POP3 has INBOX only");
    }

    @Test
    void reconnectBackoffDoublesUpToTheMaximum() {
        Map<String, Object> p = valid();
        p.put("reconnect.max", "10s");
        AccountSettings s = settings(p);
        assertThat(List.of(1, 2, 3, 4, 5, 10).stream().map(s::reconnectDelay)).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }
}
