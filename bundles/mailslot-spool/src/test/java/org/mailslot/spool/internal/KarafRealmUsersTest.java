package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.junit.jupiter.api.Test;

/** The users of a realm as Karaf registers it: each login module behind Karaf's proxy. */
class KarafRealmUsersTest {

    private static final String PROPERTIES_MODULE = "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule";

    @Test
    void listsTheUsersOfTheRealmsProxiedModulesThroughTheirBackingEngine() {
        KarafRealmUsers users = new KarafRealmUsers();
        users.bindRealm(realm("karaf", new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                LoginModuleControlFlag.SUFFICIENT, Map.of(ProxyLoginModule.PROPERTY_MODULE, PROPERTIES_MODULE))));
        users.bindEngine(engine(PROPERTIES_MODULE, "Ops", "alice"));

        assertThat(users.users("karaf")).hasValueSatisfying(names -> assertThat(names).containsExactlyInAnyOrder("ops", "alice"));
        assertThat(users.users("other")).isEmpty();
    }

    @Test
    void aRealmWhoseModulesNoEngineListsIsNotAvailable() {
        KarafRealmUsers users = new KarafRealmUsers();
        users.bindRealm(realm("karaf", new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                LoginModuleControlFlag.SUFFICIENT, Map.of(ProxyLoginModule.PROPERTY_MODULE, "some.LdapLoginModule"))));
        users.bindEngine(engine(PROPERTIES_MODULE, "ops"));

        assertThat(users.users("karaf")).isEmpty();
    }

    private static JaasRealm realm(String name, AppConfigurationEntry... entries) {
        return new JaasRealm() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public int getRank() {
                return 0;
            }

            @Override
            public AppConfigurationEntry[] getEntries() {
                return entries;
            }
        };
    }

    private static BackingEngineFactory engine(String module, String... names) {
        BackingEngine engine = (BackingEngine) Proxy.newProxyInstance(KarafRealmUsersTest.class.getClassLoader(),
                new Class<?>[] {BackingEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listUsers")) {
                        return List.of(names).stream().map(UserPrincipal::new).toList();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new BackingEngineFactory() {
            @Override
            public String getModuleClass() {
                return module;
            }

            @Override
            public BackingEngine build(Map<String, ?> options) {
                return engine;
            }
        };
    }
}
