package org.mailslot.dkim.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimKey;
import org.mailslot.api.dkim.DkimKeyCheck;
import org.mailslot.api.dkim.DkimKeys;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DkimKeys} service. A generated key gets a factory configuration through Config Admin
 * that names its file {@code etc/org.mailslot.dkim-DOMAIN-SELECTOR.cfg} ({@value #FILE_NAME_PROPERTY}),
 * so that Karaf keeps it there and signing starts without waiting for the file to be polled.
 */
@Component(service = DkimKeys.class)
public final class DkimKeysComponent implements DkimKeys {

    /** The property by which Karaf's File Install ties a configuration to its file in etc/. */
    static final String FILE_NAME_PROPERTY = "felix.fileinstall.filename";

    private static final Logger LOG = LoggerFactory.getLogger(DkimKeysComponent.class);

    private final ConfiguredKeys keys = new ConfiguredKeys();
    private final Supplier<KeyLookup> dns;
    private final ConfigurationAdmin configurationAdmin;
    private final Path etc;

    @Activate
    public DkimKeysComponent(@Reference KeyLookups lookups, @Reference ConfigurationAdmin configurationAdmin) {
        this(lookups::direct, configurationAdmin, ConfiguredKey.etc());
    }

    DkimKeysComponent(Supplier<KeyLookup> dns, ConfigurationAdmin configurationAdmin, Path etc) {
        this.dns = dns;
        this.configurationAdmin = configurationAdmin;
        this.etc = etc;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindKey(ConfiguredKey key) {
        keys.add(key);
    }

    void unbindKey(ConfiguredKey key) {
        keys.remove(key);
    }

    @Override
    public List<DkimKey> keys() {
        List<DkimKey> result = new ArrayList<>();
        for (ConfiguredKey key : keys.all()) {
            result.add(key.describe());
        }
        result.sort(Comparator.comparing(DkimKey::domain).thenComparing(DkimKey::selector));
        return result;
    }

    @Override
    public DkimKey generate(String domain, String selector, DkimAlgorithm algorithm) throws IOException {
        String d = DnsNames.check("DOMAIN", domain);
        String s = DnsNames.check("SELECTOR", selector);
        if (algorithm == null) {
            throw new IllegalArgumentException("--type must be rsa or ed25519");
        }
        if (keys.find(d, s).isPresent()) {
            throw new IllegalArgumentException("a key for " + s + "._domainkey." + d + " is configured already");
        }
        Path file = ConfiguredKey.keyDirectory(etc).resolve(ConfiguredKey.fileName(d, s));
        if (Files.exists(file)) {
            throw new IllegalArgumentException("key file " + file + " exists already; configure it, or remove it first");
        }
        KeyFile key;
        try {
            key = KeyFile.generate(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an " + algorithm.keyType() + " key: " + e.getMessage(), e);
        }
        key.write(file);
        configure(d, s, algorithm);
        LOG.info("Generated the DKIM {} key {} for {}._domainkey.{}", algorithm.tag(), file, s, d);
        return new DkimKey(d, s, Optional.of(algorithm), file, key.dnsRecord(), Optional.empty());
    }

    private void configure(String domain, String selector, DkimAlgorithm algorithm) throws IOException {
        Path cfg = etc.resolve(ConfiguredKey.PID + "-" + domain + "-" + selector + ".cfg");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("domain", domain);
        properties.put("selector", selector);
        properties.put("algorithm", algorithm.tag());
        properties.put(FILE_NAME_PROPERTY, cfg.toUri().toString());
        Configuration configuration = configurationAdmin.createFactoryConfiguration(ConfiguredKey.PID, "?");
        configuration.update(properties);
        if (!Files.exists(cfg)) {
            String text = "# DKIM signing key, written by mailslot:dkim-keygen\n"
                    + "domain = " + domain + "\nselector = " + selector + "\nalgorithm = " + algorithm.tag() + "\n";
            Path temp = Files.createTempFile(etc, ".dkim-", ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(temp, cfg, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, cfg);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public DkimKeyCheck check(String domain, String selector) {
        String d = DnsNames.check("DOMAIN", domain);
        String s = DnsNames.check("SELECTOR", selector);
        ConfiguredKey configured = keys.find(d, s).orElseThrow(() -> new IllegalArgumentException(
                "no DKIM key is configured for " + s + "._domainkey." + d));
        DkimKey key = configured.describe();
        if (key.problem().isPresent()) {
            return new DkimKeyCheck(key, DkimKeyCheck.Outcome.KEY_UNUSABLE, "", key.problem().get());
        }
        KeyAnswer answer = dns.get().lookup(key.dnsName());
        switch (answer.kind()) {
            case FAILED:
                return new DkimKeyCheck(key, DkimKeyCheck.Outcome.LOOKUP_FAILED, "", answer.detail());
            case MISSING:
                return new DkimKeyCheck(key, DkimKeyCheck.Outcome.NOT_PUBLISHED, "", answer.detail()
                        + "; publish: " + key.dnsRecord());
            default:
                break;
        }
        String published = answer.records().get(0);
        KeyRecord record;
        try {
            record = KeyRecord.parse(published);
        } catch (IllegalArgumentException e) {
            return new DkimKeyCheck(key, DkimKeyCheck.Outcome.INVALID, published, e.getMessage());
        }
        KeyFile file = configured.current().key();
        boolean same = record.algorithm() == file.algorithm()
                && Arrays.equals(record.key().getEncoded(), file.publicKey().getEncoded());
        return same ? new DkimKeyCheck(key, DkimKeyCheck.Outcome.MATCHES, published, "the published key is this key")
                : new DkimKeyCheck(key, DkimKeyCheck.Outcome.DIFFERS, published,
                        "the published key is not this key; publish: " + key.dnsRecord());
    }
}
