package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.mail.MailAddress;

class KeyCommandsTest {

    /** A store in memory that recognises material starting with its technology's name. */
    static final class MemoryKeys implements CryptoKeys {

        final CryptoTechnology technology;
        final List<KeyInfo> keys = new ArrayList<>();
        char[] lastPassword;
        boolean lastTrust;

        MemoryKeys(CryptoTechnology technology) {
            this.technology = technology;
        }

        MemoryKeys with(String id, String address, boolean secret) {
            keys.add(key(technology, id, address, secret));
            return this;
        }

        @Override
        public CryptoTechnology technology() {
            return technology;
        }

        @Override
        public boolean recognizes(byte[] material) {
            return new String(material, StandardCharsets.US_ASCII).startsWith(technology.configName());
        }

        @Override
        public List<KeyInfo> importKeys(byte[] material, char[] password, boolean trustAnchors) throws CryptoException {
            lastPassword = password;
            lastTrust = trustAnchors;
            String text = new String(material, StandardCharsets.US_ASCII).strip();
            if (text.endsWith("broken")) {
                throw new CryptoException(CryptoException.Reason.MALFORMED, "not a key");
            }
            KeyInfo imported = key(technology, "ABCDEF0123456789", text.substring(text.indexOf(' ') + 1), false);
            keys.add(imported);
            return List.of(imported);
        }

        @Override
        public List<KeyInfo> list() {
            return List.copyOf(keys);
        }

        @Override
        public List<KeyInfo> find(String idOrAddress) {
            return keys.stream().filter(k -> k.id().startsWith(idOrAddress)
                    || k.addresses().contains(MailAddress.parse(idOrAddress.contains("@") ? idOrAddress : "x@x.example"))).toList();
        }

        @Override
        public boolean remove(String id) {
            return keys.removeIf(k -> k.id().equals(id));
        }

        @Override
        public KeyInfo generate(MailAddress address) {
            KeyInfo generated = key(technology, "0011223344556677", address.toString(), true);
            keys.add(generated);
            return generated;
        }

        @Override
        public Optional<String> exportPublic(String id) {
            return keys.stream().filter(k -> k.id().equals(id)).findFirst()
                    .map(k -> "-----BEGIN PGP PUBLIC KEY BLOCK-----\n" + id + "\n-----END PGP PUBLIC KEY BLOCK-----\n");
        }
    }

    static KeyInfo key(CryptoTechnology technology, String id, String address, boolean secret) {
        return new KeyInfo(technology, id, List.of(MailAddress.parse(address)), secret, "Ed25519/Cv25519",
                Instant.parse("2026-11-28T00:00:00Z"), Optional.of(Instant.parse("2029-11-28T00:00:00Z")), false, true, secret);
    }

    @Test
    void listsTheKeysOfEveryStore() {
        KeysCommand keys = new KeysCommand();
        keys.stores = List.of(new MemoryKeys(CryptoTechnology.SMIME).with("99AA", "bob@example.org", false),
                new MemoryKeys(CryptoTechnology.PGP).with("1234ABCD5678", "alice@example.org", true));

        String output = QueueCommandsTest.run(keys);

        assertThat(output.lines().toList().get(0)).contains("Type").contains("ID").contains("Addresses").contains("Secret")
                .contains("Algorithm").contains("Expires").contains("Revoked").contains("Encrypt").contains("Sign")
                .contains("Anchor");
        assertThat(output.indexOf("alice@example.org")).as("pgp first").isLessThan(output.indexOf("bob@example.org"));
        assertThat(QueueCommandsTest.line(output, "alice@example.org")).containsPattern(
                "pgp\\s+\\|\\s+1234ABCD5678\\s+\\|\\s+alice@example.org\\s+\\|\\s+yes\\s+\\|\\s+Ed25519/Cv25519\\s+\\|\\s+2026-11-28"
                        + "\\s+\\|\\s+2029-11-28\\s+\\|\\s+no\\s+\\|\\s+yes\\s+\\|\\s+yes\\s+\\|\\s+-");
        assertThat(QueueCommandsTest.line(output, "bob@example.org")).containsPattern("\\|\\s+no\\s*$");
        assertThat(output).contains("2 keys in pgp and smime stores");
    }

    @Test
    void withoutAnyStoreItSaysWhichBundlesToStart() {
        KeysCommand keys = new KeysCommand();
        keys.stores = List.of();

        assertThatThrownBy(keys::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is mailslot-openpgp or mailslot-smime started?");
    }

    @Test
    void trustIsPassedOnOnlyWhenAsked(@TempDir Path dir) throws IOException {
        MemoryKeys smime = new MemoryKeys(CryptoTechnology.SMIME);
        KeyImportCommand command = new KeyImportCommand();
        command.stores = List.of(smime);
        command.files = new ShellFiles(dir);
        command.file = Files.writeString(dir.resolve("ca.pem"), "smime ca@example.org").getFileName().toString();
        command.trust = true;

        QueueCommandsTest.run(command);

        assertThat(smime.lastTrust).isTrue();
    }

    @Test
    void importsIntoTheStoreThatRecognisesTheFile(@TempDir Path dir) throws IOException {
        MemoryKeys pgp = new MemoryKeys(CryptoTechnology.PGP);
        MemoryKeys smime = new MemoryKeys(CryptoTechnology.SMIME);
        KeyImportCommand command = new KeyImportCommand();
        command.stores = List.of(pgp, smime);
        command.files = new ShellFiles(dir);
        command.file = Files.writeString(dir.resolve("carol.p12"), "smime carol@example.org").getFileName().toString();
        command.password = "pkcs12-pass";

        String output = QueueCommandsTest.run(command);

        assertThat(smime.keys).hasSize(1);
        assertThat(pgp.keys).isEmpty();
        assertThat(smime.lastPassword).isEqualTo("pkcs12-pass".toCharArray());
        assertThat(smime.lastTrust).as("trust only when asked").isFalse();
        assertThat(QueueCommandsTest.line(output, "carol@example.org")).contains("smime");
        assertThat(output).contains("Messages the crypto policy holds for a missing key are being tried again now");
    }

    @Test
    void importRefusesWhatNoStoreRecognisesAndNamesAStoreRefusal(@TempDir Path dir) throws IOException {
        KeyImportCommand command = new KeyImportCommand();
        command.stores = List.of(new MemoryKeys(CryptoTechnology.PGP));
        command.files = new ShellFiles(dir);
        command.file = Files.writeString(dir.resolve("notes.txt"), "shopping list").getFileName().toString();

        assertThatThrownBy(command::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No key store recognises").hasMessageContaining("(stores: pgp)");

        command.file = Files.writeString(dir.resolve("bad.asc"), "pgp broken").getFileName().toString();
        assertThatThrownBy(command::execute).hasMessageContaining("The pgp store did not import")
                .hasMessageContaining("(malformed): not a key");

        command.type = "smime";
        assertThatThrownBy(command::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No smime key store is registered; is mailslot-smime started?");

        command.file = "missing.asc";
        assertThatThrownBy(command::execute).hasMessageContaining("No such file");

        command.file = dir.resolve("bad.asc").toString();
        assertThatThrownBy(command::execute).hasMessageContaining("file takes the name of a file in " + dir)
                .hasMessageContaining("not a path");
    }

    @Test
    void generatesInThePgpStoreByDefault() {
        MemoryKeys pgp = new MemoryKeys(CryptoTechnology.PGP);
        KeyGenerateCommand command = new KeyGenerateCommand();
        command.stores = List.of(new MemoryKeys(CryptoTechnology.SMIME), pgp);
        command.address = "alice@localhost";

        String output = QueueCommandsTest.run(command);

        assertThat(pgp.keys).singleElement().satisfies(k -> assertThat(k.secret()).isTrue());
        assertThat(QueueCommandsTest.line(output, "alice@localhost")).contains("pgp").contains("0011223344556677");
    }

    @Test
    void generateRefusesABadAddress() {
        KeyGenerateCommand command = new KeyGenerateCommand();
        command.stores = List.of(new MemoryKeys(CryptoTechnology.PGP));
        command.address = "alice";

        assertThatThrownBy(command::execute).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alice");
    }

    @Test
    void removesTheOneKeyAnIdPrefixNames() {
        MemoryKeys pgp = new MemoryKeys(CryptoTechnology.PGP).with("1234ABCD5678", "a@example.org", true)
                .with("1234ABCE0000", "b@example.org", false);
        KeyRemoveCommand command = new KeyRemoveCommand();
        command.stores = List.of(pgp);

        command.id = "1234abcd";
        String output = QueueCommandsTest.run(command);

        assertThat(output).contains("Removed pgp key 1234ABCD5678 with its secret key");
        assertThat(pgp.keys).extracting(KeyInfo::id).containsExactly("1234ABCE0000");
    }

    @Test
    void removeRefusesShortAmbiguousAndUnknownIds() {
        MemoryKeys pgp = new MemoryKeys(CryptoTechnology.PGP).with("1234ABCD5678", "a@example.org", true)
                .with("1234ABCD0000", "b@example.org", false);
        KeyRemoveCommand command = new KeyRemoveCommand();
        command.stores = List.of(pgp);

        command.id = "1234";
        assertThatThrownBy(command::execute).hasMessageContaining("give at least 8 hex digits");
        command.id = "a@example.org";
        assertThatThrownBy(command::execute).hasMessageContaining("is not a key id");
        command.id = "1234ABCD";
        assertThatThrownBy(command::execute).hasMessageContaining("names 2 keys; give more digits: 1234ABCD5678, 1234ABCD0000");
        command.id = "FFFFFFFF";
        assertThatThrownBy(command::execute).hasMessageContaining("No key with id FFFFFFFF");
        assertThat(pgp.keys).hasSize(2);
    }

    @Test
    void exportsThePublicPart(@TempDir Path dir) throws IOException {
        KeyExportCommand command = new KeyExportCommand();
        command.stores = List.of(new MemoryKeys(CryptoTechnology.PGP).with("1234ABCD5678", "a@example.org", true));
        command.id = "0x1234ABCD";

        assertThat(QueueCommandsTest.run(command)).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n1234ABCD5678\n");

        command.files = new ShellFiles(dir);
        command.output = "a.asc";
        QueueCommandsTest.run(command);
        assertThat(Files.readString(dir.resolve("a.asc"))).contains("1234ABCD5678");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.asc")))).isEqualTo("rw-------");
    }

    @Test
    void exportNeverOverwritesUnlessForcedNorWritesOutsideTheDirectoryNorThroughALink(@TempDir Path dir) throws IOException {
        Path shellFiles = Files.createDirectory(dir.resolve("shell"));
        Path secret = Files.writeString(dir.resolve("secret"), "keep me");
        KeyExportCommand command = new KeyExportCommand();
        command.stores = List.of(new MemoryKeys(CryptoTechnology.PGP).with("1234ABCD5678", "a@example.org", true));
        command.id = "0x1234ABCD";
        command.files = new ShellFiles(shellFiles);

        for (String path : List.of(secret.toString(), "../secret", "..", "sub/a.asc")) {
            command.output = path;
            assertThatThrownBy(command::execute).as(path).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--output takes the name of a file in " + shellFiles).hasMessageContaining("not a path");
        }
        Files.createSymbolicLink(shellFiles.resolve("link.asc"), secret);
        command.output = "link.asc";
        assertThatThrownBy(command::execute).hasMessageContaining("exists; give --force");
        command.force = true;
        assertThatThrownBy(command::execute).hasMessageContaining("is a symbolic link; --output never writes through one");
        assertThat(Files.readString(secret)).isEqualTo("keep me");

        Files.writeString(shellFiles.resolve("old.asc"), "old");
        command.output = "old.asc";
        command.force = false;
        assertThatThrownBy(command::execute).hasMessageContaining(shellFiles.resolve("old.asc") + " exists; give --force");
        assertThat(Files.readString(shellFiles.resolve("old.asc"))).isEqualTo("old");
        command.force = true;
        QueueCommandsTest.run(command);
        assertThat(Files.readString(shellFiles.resolve("old.asc"))).contains("1234ABCD5678");
    }

    @Test
    void importReadsNoLinkAndRefusesADirectoryOthersMayWrite(@TempDir Path dir) throws IOException {
        Path shellFiles = Files.createDirectory(dir.resolve("shell"));
        Path secret = Files.writeString(dir.resolve("secret.asc"), "pgp secret@example.org");
        Files.createSymbolicLink(shellFiles.resolve("link.asc"), secret);
        MemoryKeys pgp = new MemoryKeys(CryptoTechnology.PGP);
        KeyImportCommand command = new KeyImportCommand();
        command.stores = List.of(pgp);
        command.files = new ShellFiles(shellFiles);
        command.file = "link.asc";

        assertThatThrownBy(command::execute).hasMessageContaining("is a symbolic link; file reads only plain files of "
                + shellFiles);

        Files.setPosixFilePermissions(shellFiles, PosixFilePermissions.fromString("rwxrwxrwx"));
        command.file = "any.asc";
        assertThatThrownBy(command::execute).hasMessageContaining("org.mailslot.shell files.directory " + shellFiles
                + " may be written by other users");
        assertThat(pgp.keys).isEmpty();
    }
}
