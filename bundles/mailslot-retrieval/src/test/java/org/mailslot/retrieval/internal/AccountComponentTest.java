package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.retrieval.AccountState;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.testing.peers.TestCa;
import org.mailslot.tls.internal.TlsServiceImpl;
import org.osgi.framework.BundleContext;

/** The account component as DS activates it, from configuration properties. */
class AccountComponentTest {

    final RetrievalThreads threads = new RetrievalThreads();

    @org.junit.jupiter.api.AfterEach
    void stopThreads() {
        threads.close();
    }

    @TempDir
    Path dir;

    private AccountComponent activate(Map<String, Object> properties) throws IOException {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) ->
                        method.getName().equals("getProperty") && "karaf.data".equals(args[0]) ? dir.toString() : null);
        return new AccountComponent(ComponentConfig.of(AccountConfig.class, properties), properties, context, tls(),
                new Whiteboard(), new RetrievalPorts(), threads);
    }

    private TlsServiceImpl tls() throws IOException {
        return new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, Map.of(
                "trust.pem", TestCa.create().writeCertificatePem(dir.resolve("ca.pem")).toString(),
                "trust.jdk.defaults", false, "reload.interval.seconds", 0, "self.signed.enabled", false)));
    }

    @Test
    void anInvalidConfigurationIsListedWithItsReason() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "org.mailslot.account~work");
        p.put("host", "imap.example.org");
        p.put("port", 993);
        p.put("username", "ops");
        p.put(".password", "secret");
        p.put("after.handoff", "move"); // without move.to
        AccountComponent account = activate(p);
        AccountsService accounts = new AccountsService();
        accounts.addAccount(account);
        try {
            AccountStatus status = accounts.find("work").orElseThrow();
            assertThat(status.state()).isEqualTo(AccountState.INVALID);
            assertThat(status.server()).isEqualTo("imap.example.org:993");
            assertThat(status.lastError()).contains("Account work: after.handoff=move needs move.to, the folder to move to");
            assertThat(accounts.list()).extracting(AccountStatus::name).containsExactly("work");
            assertThatThrownBy(() -> accounts.fetch("work")).isInstanceOf(IOException.class).hasMessageContaining("needs move.to");
            assertThatThrownBy(() -> accounts.test("work")).isInstanceOf(IOException.class).hasMessageContaining("needs move.to");
            assertThat(Files.exists(dir.resolve("mailslot/retrieved/work"))).isFalse();
        } finally {
            account.stop();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void itRegistersItselfWithItsNameAloneSoThePasswordIsNeverPublished() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "org.mailslot.account~work");
        p.put("host", "imap.example.org");
        p.put("username", "ops");
        p.put("password", "never-published");
        List<Dictionary<String, ?>> published = new ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> "karaf.data".equals(args[0]) ? dir.toString() : null;
                    case "registerService" -> {
                        published.add((Dictionary<String, ?>) args[2]);
                        yield null;
                    }
                    default -> null;
                });
        AccountComponent account = new AccountComponent(ComponentConfig.of(AccountConfig.class, p), p, context,
                tls(), new Whiteboard(), new RetrievalPorts(), threads);
        try {
            assertThat(account.status().state()).isNotEqualTo(AccountState.INVALID);
            assertThat(published).hasSize(1);
            assertThat(Collections.list(published.get(0).keys())).containsExactly(AccountComponent.ACCOUNT);
            assertThat(published.get(0).get(AccountComponent.ACCOUNT)).isEqualTo("work");
        } finally {
            account.stop();
        }
    }

    @Test
    void aMissingPasswordNamesBothSpellings() throws Exception {
        AccountComponent account = activate(new HashMap<>(Map.of("service.pid", "org.mailslot.account~nopass",
                "host", "imap.example.org", "username", "ops")));
        assertThat(account.status().state()).isEqualTo(AccountState.INVALID);
        assertThat(account.status().lastError()).contains("Account nopass: neither password nor .password is set");
        account.stop();
    }

    @Test
    void aMissingHostIsNamed() throws Exception {
        AccountComponent account = activate(new HashMap<>(Map.of("service.pid", "org.mailslot.account~bare",
                "username", "ops", ".password", "secret")));
        assertThat(account.status().state()).isEqualTo(AccountState.INVALID);
        assertThat(account.status().server()).isEqualTo("?:default");
        assertThat(account.status().lastError()).contains("Account bare: property host is missing");
        account.stop();
    }
}
