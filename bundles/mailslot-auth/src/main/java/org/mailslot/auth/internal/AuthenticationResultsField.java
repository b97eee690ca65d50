package org.mailslot.auth.internal;

import java.util.ArrayList;
import java.util.List;

import org.mailslot.api.auth.DmarcCheck;
import org.mailslot.api.auth.DmarcResult;
import org.mailslot.api.auth.SpfCheck;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.support.mail.AuthservId;

/**
 * Writes one {@code Authentication-Results} field (RFC 8601): the authserv-id, then one result per
 * line ({@code spf} for MAIL FROM and HELO, {@code dkim} per signature, {@code arc}, {@code dmarc}), each with a
 * comment saying why and the properties it is about.
 */
final class AuthenticationResultsField {

    static final String NAME = "Authentication-Results";

    private AuthenticationResultsField() {
    }

    static String write(String authservId, SpfCheck mailFrom, SpfCheck helo, DkimVerification dkim, ArcVerification arc,
            DmarcCheck dmarc) {
        List<String> results = new ArrayList<>();
        results.add(spf(mailFrom));
        results.add(spf(helo));
        if (dkim.unsigned()) {
            results.add("dkim=none");
        }
        for (DkimSignatureResult signature : dkim.signatures()) {
            results.add("dkim=" + signature.result().keyword() + comment(signature.algorithmTag()
                    + (signature.reason().isEmpty() ? "" : ", " + signature.reason()))
                    + (signature.domain().isEmpty() ? "" : " header.d=" + value(signature.domain()))
                    + (signature.selector().isEmpty() ? "" : " header.s=" + value(signature.selector()))
                    + (signature.headerB().isEmpty() ? "" : " header.b=" + value(signature.headerB())));
        }
        results.add("arc=" + arc.result().keyword() + comment(arc.instances() == 0 ? "" : "i=" + arc.instances()
                + (arc.sealer().isEmpty() ? "" : " sealed by " + arc.sealer()) + (arc.reason().isEmpty() ? "" : ", " + arc.reason())));
        results.add(dmarc(dmarc));
        StringBuilder field = new StringBuilder(NAME).append(": ").append(authservId);
        for (String result : results) {
            field.append(";\r\n\t").append(result);
        }
        return field.append("\r\n").toString();
    }

    private static String spf(SpfCheck check) {
        String subject = check.subject().isEmpty() ? "" : " " + check.identity().property() + "=" + value(check.subject());
        return "spf=" + check.result().keyword() + comment(check.reason()) + subject;
    }

    private static String dmarc(DmarcCheck check) {
        if (check.result() == DmarcResult.PERMERROR && check.fromDomain().isEmpty()) {
            return "dmarc=permerror" + comment(check.reason());
        }
        String policy = check.policy().map(p -> "p=" + p.keyword() + " dis=" + check.disposition().keyword() + ", ")
                .orElse("");
        return "dmarc=" + check.result().keyword() + comment(policy + check.reason()) + " header.from=" + value(check.fromDomain());
    }

    /** A comment of printable ASCII, its parentheses and backslashes escaped (RFC 5322 ccontent). */
    static String comment(String text) {
        if (text.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" (");
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append('?');
            }
        }
        return out.append(')').toString();
    }

    /**
     * A property value: as is when it is safe in a header, else a quoted string. Values come from the
     * message (a malformed signature's d=, a From domain), so a value can never end a result early.
     */
    private static String value(String text) {
        if (text.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>,;:\\\"[]".indexOf(c) < 0)) {
            return text;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c >= 0x20 && c != 0x7f ? c : '?');
        }
        return quoted.append('"').toString();
    }

    /**
     * @return whether a received {@code Authentication-Results} field value claims this authserv-id
     *     (RFC 8601 section 5: such fields are removed, they can only be forged)
     */
    static boolean claims(String value, String authservId) {
        return AuthservId.claims(value, authservId);
    }
}
