package org.mailslot.support.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.mail.MailAddress;

/**
 * The mailboxes of an address field (From, To, Cc; RFC 5322 section 3.4, with UTF-8 as RFC 6532
 * allows): {@code Alice <a@example.org>}, {@code "Doe, J." <j@example.org>}, {@code a@example.org
 * (comment)}, groups such as {@code team: a@x, b@y;} and {@code undisclosed-recipients:;}. Each
 * address is checked by {@link MailAddress#parse}. The obsolete route syntax ({@code <@a:b@c>}) is
 * refused. Stateless.
 */
public final class AddressList {

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private final String text;
    private int position;

    private AddressList(String text) {
        this.text = text;
    }

    /**
     * @param fieldValue the unfolded value of one address field
     * @return its mailboxes in order, group members included; empty for an empty group or value
     * @throws IllegalArgumentException saying what does not parse, and where
     */
    public static List<MailAddress> parse(String fieldValue) {
        AddressList parser = new AddressList(fieldValue.replace("\r\n", "").replace("\n", ""));
        return parser.addressList();
    }

    /**
     * The one mailbox a From field must name for a signature to be made or judged on its behalf.
     *
     * @param fieldValues the values of every From field of a message (RFC 5322 allows exactly one)
     * @return the mailbox, or empty if there is not exactly one field with exactly one mailbox that parses
     */
    public static Optional<MailAddress> singleMailbox(List<String> fieldValues) {
        if (fieldValues.size() != 1) {
            return Optional.empty();
        }
        try {
            List<MailAddress> mailboxes = parse(fieldValues.get(0));
            return mailboxes.size() == 1 ? Optional.of(mailboxes.get(0)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * @return why {@link #singleMailbox} is empty for these values, or empty if it is not
     */
    public static Optional<String> whyNotSingle(List<String> fieldValues) {
        if (fieldValues.isEmpty()) {
            return Optional.of("the message has no From field");
        }
        if (fieldValues.size() > 1) {
            return Optional.of("the message has " + fieldValues.size() + " From fields");
        }
        try {
            int count = parse(fieldValues.get(0)).size();
            return count == 1 ? Optional.empty()
                    : Optional.of("the From field holds " + count + " mailboxes, not one");
        } catch (IllegalArgumentException e) {
            return Optional.of("the From field does not parse: " + e.getMessage());
        }
    }

    private List<MailAddress> addressList() {
        List<MailAddress> result = new ArrayList<>();
        while (true) {
            skipCfws();
            if (atEnd()) {
                return result;
            }
            if (peek() == ',') {
                // Empty list elements are obsolete syntax that RFC 5322 still asks readers to accept.
                position++;
                continue;
            }
            address(result, true);
            skipCfws();
            if (atEnd()) {
                return result;
            }
            expect(',');
        }
    }

    private void address(List<MailAddress> into, boolean groupAllowed) {
        int start = position;
        List<String> words = new ArrayList<>();
        while (true) {
            skipCfws();
            if (atEnd()) {
                break;
            }
            char c = peek();
            if (c == '"') {
                words.add(quotedString());
            } else if (isAtext(c) || c == '.') {
                words.add(atom());
            } else {
                break;
            }
        }
        char next = atEnd() ? 0 : peek();
        if (next == '<') {
            position++;
            into.add(angleAddress());
            return;
        }
        if (next == ':' && groupAllowed && !words.isEmpty()) {
            position++;
            group(into);
            return;
        }
        if (next == '@' && words.size() == 1) {
            position++;
            into.add(mailAddress(words.get(0), domain()));
            return;
        }
        throw invalid(start, next == 0 ? "no address" : "unexpected '" + next + "'");
    }

    private void group(List<MailAddress> into) {
        while (true) {
            skipCfws();
            if (atEnd()) {
                throw invalid(position, "the group has no closing ';'");
            }
            char c = peek();
            if (c == ';') {
                position++;
                return;
            }
            if (c == ',') {
                position++;
                continue;
            }
            address(into, false);
            skipCfws();
            if (!atEnd() && peek() != ';') {
                expect(',');
            }
        }
    }

    private MailAddress angleAddress() {
        skipCfws();
        if (!atEnd() && peek() == '@') {
            throw invalid(position, "a source route (obsolete) in an angle address");
        }
        String localPart = atEnd() ? "" : peek() == '"' ? quotedString() : atom();
        if (atEnd() || peek() != '@') {
            throw invalid(position, "no @ in the angle address");
        }
        position++;
        String domain = domain();
        skipCfws();
        expect('>');
        return mailAddress(localPart, domain);
    }

    private String domain() {
        skipCfws();
        if (atEnd()) {
            throw invalid(position, "no domain");
        }
        if (peek() == '[') {
            int start = position++;
            while (!atEnd() && peek() != ']') {
                if (peek() == '[' || peek() == '\\') {
                    throw invalid(position, "a malformed domain literal");
                }
                position++;
            }
            expect(']');
            return text.substring(start, position);
        }
        return atom();
    }

    private MailAddress mailAddress(String localPart, String domain) {
        try {
            return MailAddress.parse(localPart + "@" + domain);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in " + quote(text), e);
        }
    }

    private String atom() {
        int start = position;
        while (!atEnd() && (isAtext(peek()) || peek() == '.')) {
            position++;
        }
        if (position == start) {
            throw invalid(position, atEnd() ? "an address ends early" : "unexpected '" + peek() + "'");
        }
        return text.substring(start, position);
    }

    /** @return the quoted string with its quotes and escapes, as an address's local part keeps them */
    private String quotedString() {
        int start = position++;
        while (!atEnd()) {
            char c = text.charAt(position++);
            if (c == '\\') {
                if (atEnd()) {
                    break;
                }
                position++;
            } else if (c == '"') {
                return text.substring(start, position);
            }
        }
        throw invalid(start, "a quoted string without its closing quote");
    }

    private void skipCfws() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t') {
                position++;
            } else if (c == '(') {
                comment();
            } else {
                return;
            }
        }
    }

    private void comment() {
        int start = position;
        int depth = 0;
        while (!atEnd()) {
            char c = text.charAt(position++);
            if (c == '\\') {
                position++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
        throw invalid(start, "a comment without its closing parenthesis");
    }

    private void expect(char wanted) {
        if (atEnd() || peek() != wanted) {
            throw invalid(position, "'" + wanted + "' expected" + (atEnd() ? " at the end" : ", not '" + peek() + "'"));
        }
        position++;
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private char peek() {
        return text.charAt(position);
    }

    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0 || (c >= 0x80 && !Character.isWhitespace(c) && !Character.isISOControl(c));
    }

    private IllegalArgumentException invalid(int at, String why) {
        return new IllegalArgumentException("Invalid address field " + quote(text) + ": " + why + " at index " + at);
    }

    private static String quote(String value) {
        return "'" + (value.length() > 200 ? value.substring(0, 200) + "..." : value) + "'";
    }
}
