package org.mailslot.dkim.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimKey;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One signing key ({@value #PID} factory configuration): a domain, a selector and a key file. The
 * file is read when first needed and again when it changes (while its key is usable, the file is looked
 * at no more than once a second, not for every message), so a key replaced on disk is used within a
 * second and a fixed one at once; a key that cannot be read is reported (and holds the domain's mail, by default) rather
 * than making the component fail, so that its domain is never signed by nobody in silence.
 */
@Component(name = ConfiguredKey.PID, service = ConfiguredKey.class, configurationPid = ConfiguredKey.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DkimKeyConfig.class, factory = true)
public final class ConfiguredKey {

    /** The factory PID. */
    public static final String PID = "org.mailslot.dkim";

    /** Key files live here, under Karaf's etc. */
    static Path keyDirectory(Path etc) {
        return etc.resolve("mailslot").resolve("dkim");
    }

    static Path etc() {
        return Path.of(System.getProperty("karaf.etc", "etc"));
    }

    /** A usable key's file is looked at again after this long: not for every message. */
    static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The key as last read, with the file's modification time and size it was read at, and when it was looked at. */
    record Loaded(Object stamp, KeyFile key, String problem, long checkedNanos) {
    }

    private final String domain;
    private final String selector;
    private final Optional<DkimAlgorithm> algorithm;
    private final Path file;
    private volatile Loaded loaded;

    @Activate
    public ConfiguredKey(DkimKeyConfig config, Map<String, Object> properties) {
        this(config, keyDirectory(etc()));
    }

    ConfiguredKey(DkimKeyConfig config, Path keyDirectory) {
        this.domain = DnsNames.check("domain", config.domain());
        this.selector = DnsNames.check("selector", config.selector());
        String algorithmValue = config.algorithm() == null ? "" : config.algorithm().strip();
        this.algorithm = algorithmValue.isEmpty() ? Optional.empty() : Optional.of(DkimAlgorithm.ofTag(algorithmValue)
                .orElseThrow(() -> new IllegalArgumentException("algorithm must be rsa-sha256 or ed25519-sha256, not '"
                        + algorithmValue + "'")));
        String keyValue = config.key() == null ? "" : config.key().strip();
        this.file = keyDirectory.resolve(keyValue.isEmpty() ? fileName(domain, selector) : keyValue);
    }

    static String fileName(String domain, String selector) {
        return domain + "-" + selector + ".pem";
    }

    String domain() {
        return domain;
    }

    String selector() {
        return selector;
    }

    Path file() {
        return file;
    }

    /**
     * @return the key, or why it cannot be used now; a usable key's file is checked for changes at most
     *     once per {@link #RECHECK_NANOS}, a problem's every time (so that a fixed key is used at once)
     */
    Loaded current() {
        long now = System.nanoTime();
        Loaded last = loaded;
        if (last != null && last.key() != null && now - last.checkedNanos() < RECHECK_NANOS) {
            return last;
        }
        Object stamp;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = attributes.lastModifiedTime().toMillis() + "/" + attributes.size();
        } catch (NoSuchFileException e) {
            return new Loaded(null, null, "key file " + file + " does not exist", now);
        } catch (IOException e) {
            return new Loaded(null, null, "key file " + file + " cannot be read: " + e.getMessage(), now);
        }
        if (last != null && stamp.equals(last.stamp())) {
            if (last.key() != null) {
                loaded = new Loaded(last.stamp(), last.key(), null, now);
            }
            return last;
        }
        Loaded fresh;
        try {
            KeyFile key = KeyFile.read(file);
            fresh = algorithm.isPresent() && algorithm.get() != key.algorithm()
                    ? new Loaded(stamp, null, "key file " + file + " holds an " + key.algorithm().keyType()
                            + " key, but algorithm is " + algorithm.get().tag(), now)
                    : new Loaded(stamp, key, null, now);
        } catch (IOException e) {
            fresh = new Loaded(stamp, null, "key file " + file + " cannot be read: " + e.getMessage(), now);
        } catch (IllegalArgumentException e) {
            fresh = new Loaded(stamp, null, e.getMessage(), now);
        }
        loaded = fresh;
        return fresh;
    }

    /** @return the key to sign with, or empty with {@link #problem()} saying why */
    Optional<SigningKey> signingKey() {
        Loaded now = current();
        return now.key() == null ? Optional.empty()
                : Optional.of(new SigningKey(domain, selector, now.key().algorithm(), now.key().privateKey(),
                        now.key().ed25519()));
    }

    /** @return why the key cannot be used, if it cannot */
    Optional<String> problem() {
        return Optional.ofNullable(current().problem());
    }

    DkimKey describe() {
        Loaded now = current();
        KeyFile key = now.key();
        return new DkimKey(domain, selector, key == null ? algorithm : Optional.of(key.algorithm()), file,
                key == null ? "" : key.dnsRecord(), Optional.ofNullable(now.problem()));
    }

    @Override
    public String toString() {
        return selector + "._domainkey." + domain + " (" + file + ")";
    }
}
