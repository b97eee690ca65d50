package org.mailslot.openpgp.internal;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.cm.MovedProperties;
import org.mailslot.support.keys.KeysArrived;
import org.mailslot.support.keys.StorePassphrase;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenPGP for Mailslot: PGP/MIME protection and the OpenPGP key store, registered as
 * {@link MessageCrypto} and {@link CryptoKeys} with {@code mailslot.crypto.technology=pgp}.
 *
 * <p>Reads its own PID {@value #PID}, which it needs not: keys live in
 * {@code ${karaf.etc}/mailslot/keys/openpgp/}, and without a configured {@code .keys.passphrase}
 * the one in {@code ${karaf.etc}/mailslot/keys/.passphrase} is used, generated once with a warning.
 * Its properties were once read from {@value #OLD_PID}, shared with the policy and S/MIME: they are
 * read from there still (the own PID wins), with a warning that names where each belongs.
 */
@Component(
        name = "org.mailslot.openpgp",
        configurationPid = {OpenPgpService.OLD_PID, OpenPgpService.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {MessageCrypto.class, CryptoKeys.class},
        property = MessageCrypto.TECHNOLOGY + "=pgp",
        immediate = true)
public final class OpenPgpService implements MessageCrypto, CryptoKeys {

    static final String PID = "org.mailslot.openpgp";
    /** The PID these properties were read from before they had one of their own. */
    static final String OLD_PID = "org.mailslot.crypto";
    static final MovedProperties MOVED = new MovedProperties(OLD_PID, PID,
            name -> name.startsWith("openpgp.") || name.equals(".keys.passphrase"));

    @ObjectClassDefinition(
            id = "org.mailslot.openpgp",
            // Designates its own PID only: the component reads the old one too, which metatype must not claim.
            pid = OpenPgpService.PID,
            name = "Mailslot OpenPGP",
            description = "OpenPGP key store and limits. Read from org.mailslot.crypto too, where they were before,"
                    + " with a warning; set here, a property wins.")
    public @interface Config {

        // A leading dot (from the leading underscore): DS keeps it out of the service registration.
        @AttributeDefinition(name = "Key store passphrase", type = AttributeType.PASSWORD, required = false,
                description = "Protects the stored OpenPGP secret keys. Empty: the one in"
                        + " ${karaf.etc}/mailslot/keys/.passphrase (shared with S/MIME), generated once.")
        String _keys_passphrase() default "";

        @AttributeDefinition(name = "OpenPGP key directory", required = false,
                description = "Default: ${karaf.etc}/mailslot/keys/openpgp")
        String openpgp_keys_directory() default "";

        @AttributeDefinition(name = "Largest decrypted message (bytes)",
                description = "A message whose decrypted and decompressed content is larger is refused; it is held in"
                        + " memory while its integrity is checked. Default: an SMTP listener's max.message.size default.")
        long openpgp_max_plaintext_bytes() default Limits.DEFAULT_MAX_PLAINTEXT_BYTES;

        @AttributeDefinition(name = "Deepest compression nesting",
                description = "Compressed packets inside compressed packets beyond this depth are refused.")
        int openpgp_max_compression_depth() default 2;
    }

    private final PgpKeyStore keys;
    private final PgpMessageCrypto messages;

    /** Tells the spool when keys are stored, so that the mail held for a missing key goes at once. */
    volatile Runnable keysStored = () -> {
    };

    @Activate
    public OpenPgpService(Config config, BundleContext context) throws IOException {
        this(config);
        keysStored = () -> KeysArrived.tell(context);
    }

    /** Outside a framework (the benchmarks): stored keys wake nothing. */
    public OpenPgpService(Config config) throws IOException {
        this(config, System.getProperty("karaf.etc"), Clock.systemUTC(), LoggerFactory.getLogger(OpenPgpService.class));
    }

    /** Called by DS before activation, each time the component is created: says which properties to move. */
    @Reference(name = "configurations")
    void warnAboutMovedProperties(ConfigurationAdmin configurations) throws IOException {
        MOVED.warnings(configurations).forEach(LoggerFactory.getLogger(OpenPgpService.class)::warn);
    }

    OpenPgpService(Config config, String karafEtc, Clock clock, Logger log) throws IOException {
        Path keysRoot = keysRoot(karafEtc);
        Path directory = blank(config.openpgp_keys_directory()) ? keysRoot.resolve("openpgp")
                : path("openpgp.keys.directory", config.openpgp_keys_directory());
        char[] passphrase = StorePassphrase.resolve(PID, config._keys_passphrase(),
                keysRoot.resolve(StorePassphrase.FILE_NAME), log);
        Limits limits = new Limits(config.openpgp_max_plaintext_bytes(), config.openpgp_max_compression_depth());
        this.keys = new PgpKeyStore(directory, passphrase, clock, log);
        this.messages = new PgpMessageCrypto(keys, limits);
    }

    private static Path keysRoot(String karafEtc) {
        if (blank(karafEtc)) {
            throw new IllegalStateException("the system property karaf.etc is not set, so the key store"
                    + " ${karaf.etc}/mailslot/keys cannot be found");
        }
        return path("karaf.etc", karafEtc).resolve("mailslot").resolve("keys");
    }

    private static Path path(String key, String value) {
        try {
            return Path.of(value.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("configuration " + PID + ": " + key + " is not a valid path: "
                    + e.getMessage(), e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public CryptoTechnology technology() {
        return CryptoTechnology.PGP;
    }

    // MessageCrypto

    @Override
    public Set<MailAddress> missingEncryptionKeys(Collection<MailAddress> recipients) {
        return messages.missingEncryptionKeys(recipients);
    }

    @Override
    public boolean canSign(MailAddress sender) {
        return messages.canSign(sender);
    }

    @Override
    public MessageSource protect(MailAddress sender, Collection<MailAddress> recipients, Protection protection,
            MessageSource message) throws CryptoException, IOException {
        return messages.protect(sender, recipients, protection, message);
    }

    @Override
    public boolean isProtected(MessageSource message) throws IOException {
        return messages.isProtected(message);
    }

    @Override
    public OpenedMessage open(MessageSource message) throws CryptoException, IOException {
        return messages.open(message);
    }

    // CryptoKeys

    @Override
    public boolean recognizes(byte[] material) {
        return keys.recognizes(material);
    }

    @Override
    public List<KeyInfo> importKeys(byte[] material, char[] password, boolean trustAnchors) throws CryptoException {
        List<KeyInfo> imported = keys.importKeys(material, password, trustAnchors);
        keysStored.run();
        return imported;
    }

    @Override
    public List<KeyInfo> list() {
        return keys.list();
    }

    @Override
    public List<KeyInfo> find(String idOrAddress) {
        return keys.find(idOrAddress);
    }

    @Override
    public boolean remove(String id) {
        return keys.remove(id);
    }

    @Override
    public KeyInfo generate(MailAddress address) throws CryptoException {
        KeyInfo generated = keys.generate(address);
        keysStored.run();
        return generated;
    }

    @Override
    public Optional<String> exportPublic(String id) {
        return keys.exportPublic(id);
    }
}
