package org.mailslot.spool.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of Karaf's JAAS realms, listed as {@code jaas:user-list} lists them: each login module
 * of the realm through the backing engine registered for its class ({@code etc/users.properties}
 * for the {@code karaf} realm).
 */
@Component(service = RealmUsers.class)
public final class KarafRealmUsers implements RealmUsers {

    private static final Logger LOG = LoggerFactory.getLogger(KarafRealmUsers.class);

    private final List<JaasRealm> realms = new CopyOnWriteArrayList<>();
    private final List<BackingEngineFactory> engines = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRealm(JaasRealm realm) {
        realms.add(realm);
    }

    void unbindRealm(JaasRealm realm) {
        realms.remove(realm);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(BackingEngineFactory engine) {
        engines.add(engine);
    }

    void unbindEngine(BackingEngineFactory engine) {
        engines.remove(engine);
    }

    /** Karaf hands each realm's login modules to JAAS behind its proxy, naming the real one in an option. */
    private static String moduleOf(AppConfigurationEntry entry) {
        Object proxied = entry.getOptions().get(ProxyLoginModule.PROPERTY_MODULE);
        return proxied != null ? proxied.toString() : entry.getLoginModuleName();
    }

    @Override
    public Optional<Set<String>> users(String realmName) {
        Set<String> users = new HashSet<>();
        boolean found = false;
        for (JaasRealm realm : realms) {
            if (!realm.getName().equals(realmName)) {
                continue;
            }
            for (AppConfigurationEntry entry : realm.getEntries()) {
                String module = moduleOf(entry);
                Optional<BackingEngine> engine = engines.stream()
                        .filter(factory -> factory.getModuleClass().equals(module)).findFirst()
                        .map(factory -> factory.build(entry.getOptions()));
                if (engine.isEmpty()) {
                    LOG.debug("No backing engine lists the users of {} in realm {}", module, realmName);
                    continue;
                }
                found = true;
                for (UserPrincipal user : engine.get().listUsers()) {
                    users.add(user.getName().toLowerCase(Locale.ROOT));
                }
            }
        }
        return found ? Optional.of(Set.copyOf(users)) : Optional.empty();
    }
}
