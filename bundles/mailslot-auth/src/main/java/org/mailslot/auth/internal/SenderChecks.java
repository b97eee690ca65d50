package org.mailslot.auth.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.mailslot.api.auth.AuthVerdict;
import org.mailslot.api.auth.DmarcCheck;
import org.mailslot.api.auth.DmarcPolicy;
import org.mailslot.api.auth.DmarcResult;
import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SpfCheck;
import org.mailslot.api.auth.SpfIdentity;
import org.mailslot.api.auth.SpfResult;
import org.mailslot.api.dkim.MessageSignatures;
import org.mailslot.api.dkim.SignatureVerifier;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.dns.DnsQuery;
import org.mailslot.support.mail.AddressList;
import org.mailslot.support.mail.MimeEntity;

/**
 * SPF, DKIM and DMARC of one message, the verdict and the header fields, for one configuration.
 * Immutable and thread-safe.
 */
final class SenderChecks {

    /** Header sections longer than this are not read further for the From field. */
    static final int MAX_HEADER = 256 * 1024;

    private static final String DKIM_SIGNATURE = "DKIM-Signature";
    private static final List<String> ARC_FIELDS = List.of("ARC-Seal", "ARC-Message-Signature",
            "ARC-Authentication-Results");
    private static final int BLOCK = 4096;

    private final SpfChecker spf;
    private final SignatureVerifier signatures;
    private final DmarcEvaluator dmarc;
    private final String authservId;
    private final boolean enforce;

    SenderChecks(DnsQuery dns, PublicSuffixList suffixes, SignatureVerifier signatures, String authservId,
            boolean enforce, IntSupplier percentile) {
        this.spf = new SpfChecker(dns, authservId);
        this.signatures = signatures;
        this.dmarc = new DmarcEvaluator(dns, suffixes, percentile);
        this.authservId = authservId;
        this.enforce = enforce;
    }

    String authservId() {
        return authservId;
    }

    SenderAuthentication authenticate(Optional<InetAddress> client, String helo, String mailFrom, MessageSource message)
            throws IOException {
        SpfCheck mailFromCheck = client.map(c -> spf.checkMailFrom(c, helo, mailFrom))
                .orElseGet(() -> new SpfCheck(SpfIdentity.MAILFROM, "", mailFrom, SpfResult.NONE, "not received by SMTP"));
        SpfCheck heloCheck = client.map(c -> spf.checkHelo(c, helo))
                .orElseGet(() -> new SpfCheck(SpfIdentity.HELO, "", helo, SpfResult.NONE, "not received by SMTP"));
        // One parse of the header section here; the message is read again only when it has DKIM or ARC
        // fields (without them both results are none, RFC 6376 and RFC 8617), and then once for both.
        MimeEntity header = MimeEntity.parse(header(message));
        MessageSignatures verified = header.fields().stream()
                .anyMatch(f -> f.named(DKIM_SIGNATURE) || ARC_FIELDS.stream().anyMatch(f::named))
                ? signatures.verify(message) : MessageSignatures.none();
        List<String> froms = header.headers("From");
        Optional<MailAddress> from = AddressList.singleMailbox(froms);
        DmarcCheck dmarcCheck;
        if (from.isEmpty() || from.get().isAddressLiteral() || !DomainNames.isMultiLabel(from.get().normalizedDomain())) {
            String why = AddressList.whyNotSingle(froms).orElse("the From mailbox has no domain DMARC can check");
            dmarcCheck = new DmarcCheck("", "", DmarcResult.PERMERROR, Optional.empty(), DmarcPolicy.NONE, false, false, why);
        } else {
            dmarcCheck = dmarc.evaluate(DomainNames.normalize(from.get().normalizedDomain()), mailFromCheck,
                    verified.dkim());
        }
        AuthVerdict verdict = verdict(dmarcCheck);
        String fields = AuthenticationResultsField.write(authservId, mailFromCheck, heloCheck, verified.dkim(),
                verified.arc(), dmarcCheck);
        if (verdict == AuthVerdict.QUARANTINE) {
            fields += SenderAuthentication.QUARANTINE_FIELD + ": DMARC policy of " + dmarcCheck.fromDomain() + "\r\n";
        }
        return new SenderAuthentication(authservId, mailFromCheck, heloCheck, verified.dkim(), verified.arc(), dmarcCheck,
                verdict, fields);
    }

    private AuthVerdict verdict(DmarcCheck check) {
        if (check.result() == DmarcResult.TEMPERROR) {
            return AuthVerdict.DEFER;
        }
        if (!enforce || check.result() != DmarcResult.FAIL) {
            return AuthVerdict.ACCEPT;
        }
        return switch (check.disposition()) {
            case REJECT -> AuthVerdict.REJECT;
            case QUARANTINE -> AuthVerdict.QUARANTINE;
            case NONE -> AuthVerdict.ACCEPT;
        };
    }

    /** @return the header section, up to and with the blank line, at most {@link #MAX_HEADER} octets */
    static byte[] header(MessageSource message) throws IOException {
        byte[] buffer = new byte[BLOCK];
        int length = 0;
        int lineStart = 0;
        try (InputStream in = message.open()) {
            while (length < MAX_HEADER) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(length * 2, MAX_HEADER));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                for (int i = length; i < length + n; i++) {
                    if (buffer[i] == '\n') {
                        int content = i - lineStart;
                        if (content == 0 || content == 1 && buffer[lineStart] == '\r') {
                            return Arrays.copyOf(buffer, i + 1);
                        }
                        lineStart = i + 1;
                    }
                }
                length += n;
            }
        }
        return Arrays.copyOf(buffer, length);
    }

    /** @return the message without the header's Authentication-Results fields that claim the authserv-id */
    byte[] withoutClaimedResults(byte[] message) {
        if (!HeaderNames.present(message, AuthenticationResultsField.NAME)) {
            return message;
        }
        MimeEntity entity = MimeEntity.parse(message);
        boolean any = entity.fields().stream().anyMatch(this::claimed);
        if (!any) {
            return message;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        for (MimeEntity.Field field : entity.fields()) {
            if (!claimed(field)) {
                out.writeBytes(field.raw());
            }
        }
        int headerEnd = entity.fields().stream().mapToInt(f -> f.raw().length).sum();
        out.write(message, headerEnd, message.length - headerEnd);
        return out.toByteArray();
    }

    private boolean claimed(MimeEntity.Field field) {
        return field.named(AuthenticationResultsField.NAME) && AuthenticationResultsField.claims(field.value(), authservId);
    }
}
