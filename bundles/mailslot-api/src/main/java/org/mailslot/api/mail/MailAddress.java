package org.mailslot.api.mail;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A mailbox as it appears in an SMTP path: {@code local-part@domain} (RFC 5321 section 4.1.2),
 * extended with UTF-8 local parts and U-label domains (RFC 6531, SMTPUTF8).
 *
 * <p>Immutable and thread-safe. Instances exist only for valid addresses; {@link #parse} refuses
 * everything else with an {@link IllegalArgumentException} that says what is wrong and where.
 * The domain compares case-insensitively; the local part is compared exactly, as RFC 5321
 * demands of everyone but the receiving host. A quoted local part is kept in one canonical form:
 * without quotes when it needs none ({@code "bob"@example.org} is {@code bob@example.org},
 * RFC 5321 section 4.1.2), otherwise quoted with only {@code "} and {@code \} escaped, so that
 * two spellings of one mailbox are one address.
 */
@ProviderType
public final class MailAddress {

    /** Longest local part in octets (RFC 5321 section 4.5.3.1.1). */
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    /** Longest domain in octets (RFC 5321 section 4.5.3.1.2). */
    public static final int MAX_DOMAIN_OCTETS = 255;
    /** Longest address in octets, so that the path with its angle brackets fits 256. */
    public static final int MAX_ADDRESS_OCTETS = 254;

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private final String localPart;
    private final String domain;
    private final boolean smtpUtf8;

    private MailAddress(String localPart, String domain) {
        this.localPart = localPart;
        this.domain = domain;
        this.smtpUtf8 = !isAscii(localPart) || !isAscii(domain);
    }

    /**
     * Parses an address without angle brackets, such as {@code alice@example.org},
     * {@code "john doe"@example.org} or {@code root@[192.0.2.1]}.
     *
     * @param text the address
     * @return the address
     * @throws IllegalArgumentException if the text is not a valid RFC 5321/6531 mailbox; the
     *     message names the problem and, for a forbidden character, its index
     * @throws NullPointerException if {@code text} is null
     */
    public static MailAddress parse(String text) {
        MailSyntax.requireSingleLine("address", text);
        if (text.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        if (utf8Length(text) > MAX_ADDRESS_OCTETS) {
            throw invalid(text, "it is longer than " + MAX_ADDRESS_OCTETS + " octets");
        }
        int at = localPartEnd(text);
        if (at >= text.length() || text.charAt(at) != '@') {
            throw invalid(text, "it has no @ after the local part");
        }
        String localPart = text.substring(0, at);
        String domain = text.substring(at + 1);
        checkLocalPart(text, localPart);
        checkDomain(text, domain);
        return new MailAddress(localPart.startsWith("\"") ? canonicalQuoted(localPart) : localPart, domain);
    }

    /**
     * @return the part before the {@code @} in its canonical form: quotes included only when it
     *     needs them
     */
    public String localPart() {
        return localPart;
    }

    /** @return the part after the {@code @}: a domain name or an address literal in brackets */
    public String domain() {
        return domain;
    }

    /** @return the domain in lower case, for routing and comparisons */
    public String normalizedDomain() {
        return domain.toLowerCase(Locale.ROOT);
    }

    /** @return true if the address holds non-ASCII characters and so can only travel with SMTPUTF8 */
    public boolean requiresSmtpUtf8() {
        return smtpUtf8;
    }

    /** @return true if the domain is an address literal such as {@code [192.0.2.1]} */
    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailAddress that
                && localPart.equals(that.localPart)
                && domain.equalsIgnoreCase(that.domain);
    }

    @Override
    public int hashCode() {
        return 31 * localPart.hashCode() + normalizedDomain().hashCode();
    }

    /** @return the address as {@code local-part@domain}, without angle brackets */
    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    private static int localPartEnd(String text) {
        if (!text.startsWith("\"")) {
            return text.lastIndexOf('@') < 0 ? text.length() : text.lastIndexOf('@');
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        throw invalid(text, "its quoted local part has no closing quote");
    }

    private static void checkLocalPart(String address, String localPart) {
        if (localPart.isEmpty()) {
            throw invalid(address, "its local part is empty");
        }
        if (utf8Length(localPart) > MAX_LOCAL_PART_OCTETS) {
            throw invalid(address, "its local part is longer than " + MAX_LOCAL_PART_OCTETS + " octets");
        }
        if (localPart.startsWith("\"")) {
            checkQuotedString(address, localPart);
        } else {
            checkDotString(address, localPart);
        }
    }

    private static void checkDotString(String address, String localPart) {
        if (localPart.startsWith(".") || localPart.endsWith(".") || localPart.contains("..")) {
            throw invalid(address, "its local part has a leading, trailing or double dot");
        }
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c != '.' && !isAtext(c)) {
                throw invalid(address, "its local part contains " + describe(c) + " at index " + i
                        + " (quote the local part to use it)");
            }
        }
    }

    private static void checkQuotedString(String address, String localPart) {
        for (int i = 1; i < localPart.length() - 1; i++) {
            char c = localPart.charAt(i);
            if (c == '\\') {
                char next = localPart.charAt(++i);
                if (next < 32 || next > 126) {
                    throw invalid(address, "its local part escapes " + describe(next) + " at index " + i);
                }
            } else if (c < 32 || c == 127 || c == '"') {
                throw invalid(address, "its quoted local part contains " + describe(c) + " at index " + i);
            }
        }
    }

    /** @return a checked quoted local part without its quotes if it needs none, else with minimal escapes */
    private static String canonicalQuoted(String quoted) {
        StringBuilder content = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            content.append(c == '\\' ? quoted.charAt(++i) : c);
        }
        if (isDotString(content)) {
            return content.toString();
        }
        StringBuilder canonical = new StringBuilder(content.length() + 4).append('"');
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '"' || c == '\\') {
                canonical.append('\\');
            }
            canonical.append(c);
        }
        return canonical.append('"').toString();
    }

    private static boolean isDotString(CharSequence text) {
        if (text.length() == 0 || text.charAt(0) == '.' || text.charAt(text.length() - 1) == '.') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' ? text.charAt(i - 1) == '.' : !isAtext(c)) {
                return false;
            }
        }
        return true;
    }

    private static void checkDomain(String address, String domain) {
        if (domain.isEmpty()) {
            throw invalid(address, "its domain is empty");
        }
        if (utf8Length(domain) > MAX_DOMAIN_OCTETS) {
            throw invalid(address, "its domain is longer than " + MAX_DOMAIN_OCTETS + " octets");
        }
        if (domain.startsWith("[")) {
            checkAddressLiteral(address, domain);
            return;
        }
        for (String label : domain.split("\\.", -1)) {
            checkLabel(address, label);
        }
    }

    private static void checkLabel(String address, String label) {
        if (label.isEmpty()) {
            throw invalid(address, "its domain has an empty label");
        }
        if (utf8Length(label) > 63) {
            throw invalid(address, "its domain has a label longer than 63 octets");
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            throw invalid(address, "its domain label " + MailSyntax.quote(label) + " starts or ends with a hyphen");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean letDig = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letDig && c != '-' && !isUtf8NonAscii(c)) {
                throw invalid(address, "its domain contains " + describe(c));
            }
        }
    }

    private static void checkAddressLiteral(String address, String domain) {
        if (!domain.endsWith("]")) {
            throw invalid(address, "its address literal has no closing bracket");
        }
        String literal = domain.substring(1, domain.length() - 1);
        boolean valid = literal.regionMatches(true, 0, "IPv6:", 0, 5)
                ? IpLiterals.isIpv6(literal.substring(5))
                : IpLiterals.isIpv4(literal);
        if (!valid) {
            throw invalid(address, "its address literal " + MailSyntax.quote(domain) + " is not an IPv4 or IPv6 address");
        }
    }

    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0 || isUtf8NonAscii(c);
    }

    private static boolean isUtf8NonAscii(char c) {
        return c >= 0x80 && !Character.isISOControl(c) && !Character.isWhitespace(c) && c != '\u00a0';
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String describe(char c) {
        if (c == ' ') {
            return "a space";
        }
        if (Character.isISOControl(c) || Character.isWhitespace(c) || c == '\u00a0') {
            return String.format("the control or space character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException("Invalid address " + MailSyntax.quote(address) + ": " + why);
    }
}
