package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.mail.MailAddress;

/** What the key commands share: choosing a store, finding a key by id, the key table. */
final class KeyStores {

    /** A key id given on the command line must be at least this long, so that it names one key. */
    static final int MIN_ID_DIGITS = 8;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** A key and the store that holds it. */
    record Found(CryptoKeys store, KeyInfo key) {
    }

    private KeyStores() {
    }

    /** @return the stores registered now, pgp before smime */
    static List<CryptoKeys> sorted(List<CryptoKeys> stores) {
        return (stores == null ? List.<CryptoKeys>of() : stores).stream()
                .sorted(Comparator.comparing(CryptoKeys::technology)).toList();
    }

    /** @return the technology an operator typed: pgp or smime, any case */
    static Optional<CryptoTechnology> type(String option) {
        return option == null ? Optional.empty() : Optional.of(CryptoTechnology.fromConfig(option));
    }

    /** @throws IllegalStateException naming the bundle to start if the store is absent */
    static CryptoKeys store(List<CryptoKeys> stores, CryptoTechnology technology) {
        return sorted(stores).stream().filter(store -> store.technology() == technology).findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + technology.configName() + " key store is registered;"
                        + " is " + bundleOf(technology) + " started? (mailslot:status shows why a component is not active)"));
    }

    /** @throws IllegalStateException if no store at all is registered */
    static List<CryptoKeys> requireAny(List<CryptoKeys> stores) {
        List<CryptoKeys> sorted = sorted(stores);
        if (sorted.isEmpty()) {
            throw new IllegalStateException("No key store (CryptoKeys service) is registered; is mailslot-openpgp or"
                    + " mailslot-smime started? (mailslot:status shows why a component is not active)");
        }
        return sorted;
    }

    static String bundleOf(CryptoTechnology technology) {
        return technology == CryptoTechnology.PGP ? "mailslot-openpgp" : "mailslot-smime";
    }

    /**
     * @param id a full id or a prefix of at least {@link #MIN_ID_DIGITS} hex digits; blanks and a
     *     leading {@code 0x} are ignored
     * @return the one key it names
     * @throws IllegalArgumentException if it names none or several
     */
    static Found byId(List<CryptoKeys> stores, String id, Optional<CryptoTechnology> type) {
        String wanted = id.replaceAll("\\s", "").replaceFirst("^0[xX]", "").toUpperCase(Locale.ROOT);
        if (wanted.length() < MIN_ID_DIGITS || !wanted.matches("[0-9A-F]+")) {
            throw new IllegalArgumentException("'" + id + "' is not a key id: give at least " + MIN_ID_DIGITS
                    + " hex digits of the id mailslot:keys shows");
        }
        List<Found> matches = requireAny(stores).stream()
                .filter(store -> type.isEmpty() || store.technology() == type.get())
                .flatMap(store -> store.list().stream().map(key -> new Found(store, key)))
                .filter(found -> found.key().id().toUpperCase(Locale.ROOT).startsWith(wanted))
                .toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("No key with id " + id + (type.map(t -> " in the " + t.configName() + " store")
                    .orElse("")) + " (mailslot:keys lists them)");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("'" + id + "' names " + matches.size() + " keys; give more digits: "
                    + matches.stream().map(found -> found.key().id()).collect(Collectors.joining(", ")));
        }
        return matches.get(0);
    }

    static void print(List<KeyInfo> keys, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Type");
        table.column("ID");
        table.column("Addresses");
        table.column("Secret");
        table.column("Algorithm");
        table.column("Created");
        table.column("Expires");
        table.column("Revoked");
        table.column("Encrypt");
        table.column("Sign");
        table.column("Anchor");
        for (KeyInfo key : keys) {
            table.addRow().addContent(key.technology().configName(), key.id(),
                    key.addresses().stream().map(MailAddress::toString).collect(Collectors.joining(", ")),
                    yesNo(key.secret()), key.algorithm(), day(key.created()), key.expires().map(KeyStores::day).orElse("never"),
                    yesNo(key.revoked()), yesNo(key.canEncrypt()), yesNo(key.canSign()),
                    key.technology() == CryptoTechnology.SMIME ? yesNo(key.trustAnchor()) : "-");
        }
        table.print(out);
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static String day(Instant instant) {
        return DAY.format(instant);
    }
}
