package org.mailslot.smime.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.mailslot.api.mail.MailAddress;

/**
 * Recipients whose software cannot read AuthEnvelopedData (S/MIME 3.2 and older clients, gpgsm
 * 2.2): configured in {@code smime.legacy.recipients} as addresses ({@code bob@example.org}) or
 * domains ({@code example.org}, {@code @example.org}). A message to any of them is sent as
 * EnvelopedData with AES-256-CBC, RSA keys wrapped with PKCS#1 v1.5 and ECDH with the SHA-1 KDF.
 */
final class LegacyRecipients {

    private final Set<String> addresses = new LinkedHashSet<>();
    private final Set<String> domains = new LinkedHashSet<>();

    LegacyRecipients(Collection<String> entries) {
        for (String entry : entries) {
            String text = entry.strip().toLowerCase(Locale.ROOT);
            if (text.isEmpty()) {
                continue;
            }
            int at = text.indexOf('@');
            if (at == 0) {
                domains.add(text.substring(1));
            } else if (at > 0) {
                MailAddress.parse(entry.strip());
                addresses.add(text);
            } else {
                domains.add(text);
            }
        }
    }

    boolean needsLegacy(MailAddress recipient) {
        return addresses.contains(recipient.toString().toLowerCase(Locale.ROOT))
                || domains.contains(recipient.normalizedDomain());
    }
}
