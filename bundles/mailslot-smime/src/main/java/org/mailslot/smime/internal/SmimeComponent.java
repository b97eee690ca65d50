package org.mailslot.smime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.mailslot.api.crypto.CryptoException.Reason;
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
 * S/MIME 4.0: the {@link MessageCrypto} and {@link CryptoKeys} services over one certificate store
 * under {@code ${karaf.etc}/mailslot/keys/smime}. A configuration change re-creates the component
 * (no {@code @Modified}): the store is re-read and the unlocked keys are forgotten.
 *
 * <p>Its properties were once read from {@value #OLD_PID}, shared with the policy and OpenPGP:
 * they are read from there still (its own PID {@value #PID} wins), with a warning that names where
 * each belongs.
 */
@Component(
        name = "org.mailslot.smime",
        configurationPid = {SmimeComponent.OLD_PID, SmimeComponent.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {MessageCrypto.class, CryptoKeys.class},
        property = MessageCrypto.TECHNOLOGY + "=smime",
        immediate = true)
public final class SmimeComponent implements MessageCrypto, CryptoKeys {

    public static final String PID = "org.mailslot.smime";
    /** The PID these properties were read from before they had one of their own. */
    static final String OLD_PID = "org.mailslot.crypto";
    static final MovedProperties MOVED = new MovedProperties(OLD_PID, PID,
            name -> name.startsWith("smime.") || name.equals(".keys.passphrase"));

    @ObjectClassDefinition(
            id = "org.mailslot.smime",
            // Designates its own PID only: the component reads the old one too, which metatype must not claim.
            pid = SmimeComponent.PID,
            name = "Mailslot S/MIME",
            description = "Certificate store, passphrase of the private keys, trust anchors, CRLs and recipients that"
                    + " need the older EnvelopedData format. Read from org.mailslot.crypto too, where they were"
                    + " before, with a warning; set here, a property wins.")
    public @interface Config {

        // The passphrase is a private property (a leading dot): DS does not copy it into the service registration.

        @AttributeDefinition(name = "Key passphrase", type = AttributeType.PASSWORD, required = false,
                description = "Protects the S/MIME private keys in etc/mailslot/keys/smime. Empty: a random one generated"
                        + " once into etc/mailslot/keys/.passphrase (owner-only, shared with OpenPGP).")
        String _keys_passphrase() default "";

        @AttributeDefinition(name = "Certificate store directory", required = false,
                description = "Default: ${karaf.etc}/mailslot/keys/smime")
        String smime_directory() default "";

        @AttributeDefinition(name = "Extra trust anchors (PEM)", required = false,
                description = "CA certificates trusted for signatures in addition to the store's anchors (certificates"
                        + " imported with key-import --trust, and generated identities).")
        String smime_trust_pem() default "";

        @AttributeDefinition(name = "CRL files", required = false,
                description = "PEM or DER CRLs consulted, with those a signed message carries, for revocation.")
        String[] smime_crls() default {};

        @AttributeDefinition(name = "Legacy recipients", required = false,
                description = "Addresses or domains whose software cannot read AuthEnvelopedData (AES-GCM): messages to"
                        + " them are sent as EnvelopedData with AES-256-CBC (RSA PKCS#1 v1.5, ECDH SHA-1 KDF).")
        String[] smime_legacy_recipients() default {};

        @AttributeDefinition(name = "Generated key type", description = "Key of generated identities: ec-p256 or rsa-3072.")
        String smime_generate_key() default "ec-p256";
    }

    private final Clock clock;
    private final Settings settings;
    private final CertificateStore store;
    private final CertificateTrust trust;
    private final KeySelection keys;
    private final MessageProtector protector;
    private final MessageOpener opener;

    /** Tells the spool when keys are stored, so that the mail held for a missing key goes at once. */
    volatile Runnable keysStored = () -> {
    };

    @Activate
    public SmimeComponent(Config config, BundleContext context) throws IOException {
        this(config);
        keysStored = () -> KeysArrived.tell(context);
    }

    /** Outside a framework (the benchmarks): stored keys wake nothing. */
    public SmimeComponent(Config config) throws IOException {
        this(config, System.getProperty("karaf.etc"), Clock.systemUTC(), LoggerFactory.getLogger(SmimeComponent.class));
    }

    /** Called by DS before activation, each time the component is created: says which properties to move. */
    @Reference(name = "configurations")
    void warnAboutMovedProperties(ConfigurationAdmin configurations) throws IOException {
        MOVED.warnings(configurations).forEach(LoggerFactory.getLogger(SmimeComponent.class)::warn);
    }

    SmimeComponent(Config config, String karafEtc, Clock clock, Logger log) throws IOException {
        this.clock = clock;
        this.settings = Settings.of(config, karafEtc);
        char[] passphrase = StorePassphrase.resolve(PID, settings.configuredPassphrase, settings.passphraseFile(), log);
        this.store = new CertificateStore(settings.directory, passphrase, clock);
        this.trust = new CertificateTrust(store::all, settings.trustAnchors, settings.crls, clock);
        this.keys = new KeySelection(store, trust);
        this.protector = new MessageProtector(keys, settings.legacyRecipients);
        this.opener = new MessageOpener(store, new SignatureVerifier(store, trust));
    }

    @Override
    public CryptoTechnology technology() {
        return CryptoTechnology.SMIME;
    }

    // --- MessageCrypto

    @Override
    public Set<MailAddress> missingEncryptionKeys(Collection<MailAddress> recipients) {
        Set<MailAddress> missing = new LinkedHashSet<>();
        for (MailAddress recipient : recipients) {
            if (keys.encryptionCertificate(recipient).isEmpty()) {
                missing.add(recipient);
            }
        }
        return missing;
    }

    @Override
    public boolean canSign(MailAddress sender) {
        return keys.signingCertificate(sender).isPresent();
    }

    @Override
    public MessageSource protect(MailAddress sender, Collection<MailAddress> recipients, Protection protection,
            MessageSource message) throws CryptoException, IOException {
        return protector.protect(sender, List.copyOf(recipients), protection, read(message));
    }

    @Override
    public boolean isProtected(MessageSource message) throws IOException {
        return MessageOpener.isProtected(read(message));
    }

    @Override
    public OpenedMessage open(MessageSource message) throws CryptoException, IOException {
        MessageOpener.OpenedMessageBytes opened = opener.open(read(message));
        return new OpenedMessage(MessageSource.of(opened.content()), opened.decrypted(), opened.verification(),
                opened.integrityChecked());
    }

    // --- CryptoKeys

    @Override
    public boolean recognizes(byte[] material) {
        return CertificateStore.recognizes(material);
    }

    @Override
    public List<KeyInfo> importKeys(byte[] material, char[] password, boolean trustAnchors) throws CryptoException {
        List<KeyInfo> imported = store.importMaterial(material, password, trustAnchors).stream().map(this::info).toList();
        keysStored.run();
        return imported;
    }

    @Override
    public List<KeyInfo> list() {
        return store.all().stream().map(this::info).toList();
    }

    @Override
    public List<KeyInfo> find(String idOrAddress) {
        return store.find(idOrAddress).stream().map(this::info).toList();
    }

    @Override
    public boolean remove(String id) {
        try {
            return store.remove(id);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + id + " from " + store.directory() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public KeyInfo generate(MailAddress address) throws CryptoException {
        try {
            KeyGeneration.Identity identity = KeyGeneration.selfIssued(address, settings.generateKeyType, clock.instant());
            KeyInfo generated = info(store.storeGenerated(identity.keys().getPrivate(), identity.certificate()));
            keysStored.run();
            return generated;
        } catch (java.security.GeneralSecurityException e) {
            throw new CryptoException(Reason.MALFORMED, "cannot generate an S/MIME identity for " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> exportPublic(String id) {
        return store.get(id).map(entry -> Certificates.pem(entry.certificate()));
    }

    private KeyInfo info(StoredCertificate entry) {
        Instant now = clock.instant();
        return new KeyInfo(CryptoTechnology.SMIME, entry.id(), entry.addresses(), entry.secret(),
                Certificates.algorithm(entry.certificate()), entry.notBefore(),
                Optional.of(entry.certificate().getNotAfter().toInstant()),
                trust.revokedByConfiguredCrl(entry.certificate()),
                keys.usableForEncryption(entry, now), keys.usableForSigning(entry, now),
                entry.anchor() || settings.trustAnchors.contains(entry.certificate()));
    }

    private static byte[] read(MessageSource message) throws IOException {
        try (InputStream in = message.open()) {
            return in.readAllBytes();
        }
    }
}
