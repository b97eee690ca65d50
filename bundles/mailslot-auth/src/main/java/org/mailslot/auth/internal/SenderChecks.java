package org.mailslot.auth.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
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
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.ArcVerifier;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.api.dkim.DkimVerifier;
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

    private final SpfChecker spf;
    private final DkimVerifier dkim;
    private final ArcVerifier arc;
    private final DmarcEvaluator dmarc;
    private final String authservId;
    private final boolean enforce;

    SenderChecks(DnsQuery dns, PublicSuffixList suffixes, DkimVerifier dkim, ArcVerifier arc, String authservId,
            boolean enforce, IntSupplier percentile) {
        this.spf = new SpfChecker(dns, authservId);
        this.dkim = dkim;
        this.arc = arc;
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
        DkimVerification signatures = dkim.verify(message);
        ArcVerification chain = arc.verify(message);
        List<String> froms = MimeEntity.parse(header(message)).headers("From");
        Optional<MailAddress> from = AddressList.singleMailbox(froms);
        DmarcCheck dmarcCheck;
        if (from.isEmpty() || from.get().isAddressLiteral() || !DomainNames.isMultiLabel(from.get().normalizedDomain())) {
            String why = AddressList.whyNotSingle(froms).orElse("the From mailbox has no domain DMARC can check");
            dmarcCheck = new DmarcCheck("", "", DmarcResult.PERMERROR, Optional.empty(), DmarcPolicy.NONE, false, false, why);
        } else {
            dmarcCheck = dmarc.evaluate(DomainNames.normalize(from.get().normalizedDomain()), mailFromCheck, signatures);
        }
        AuthVerdict verdict = verdict(dmarcCheck);
        String fields = AuthenticationResultsField.write(authservId, mailFromCheck, heloCheck, signatures, chain, dmarcCheck);
        if (verdict == AuthVerdict.QUARANTINE) {
            fields += SenderAuthentication.QUARANTINE_FIELD + ": DMARC policy of " + dmarcCheck.fromDomain() + "\r\n";
        }
        return new SenderAuthentication(authservId, mailFromCheck, heloCheck, signatures, chain, dmarcCheck, verdict, fields);
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
        ByteArrayOutputStream header = new ByteArrayOutputStream(2048);
        try (InputStream in = message.open()) {
            int previous = -1;
            int lineLength = 0;
            for (int b = in.read(); b >= 0 && header.size() < MAX_HEADER; b = in.read()) {
                header.write(b);
                if (b == '\n') {
                    if (lineLength == 0 || (lineLength == 1 && previous == '\r')) {
                        break;
                    }
                    lineLength = 0;
                } else {
                    lineLength++;
                }
                previous = b;
            }
        }
        return header.toByteArray();
    }

    /** @return the message without the header's Authentication-Results fields that claim the authserv-id */
    byte[] withoutClaimedResults(byte[] message) {
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
