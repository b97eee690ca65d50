package com.example.mailslot.filing;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One filing rule, written {@code Header: pattern -> Folder}: a message goes to the folder if a
 * header field of that name matches the regular expression somewhere in its value (case-insensitive;
 * encoded words decoded). Immutable.
 *
 * @param header the header field name
 * @param pattern what to find in its value
 * @param folder the Maildir++ folder, such as {@code Lists.dev}
 */
public record FilingRule(String header, Pattern pattern, String folder) {

    private static final Pattern FIELD_NAME = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E]+");
    private static final String SYNTAX = "write rules as 'Header: pattern -> Folder'";

    public FilingRule {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(folder, "folder");
    }

    /**
     * @param key the configuration key, for the error message
     * @param rule the rule as written
     * @return the rule
     * @throws IllegalArgumentException naming the key and what is wrong
     */
    public static FilingRule parse(String key, String rule) {
        String text = rule == null ? "" : rule.strip();
        int colon = text.indexOf(':');
        int arrow = text.lastIndexOf("->");
        if (colon <= 0 || arrow < colon) {
            throw new IllegalArgumentException(key + " = '" + text + "': " + SYNTAX);
        }
        String header = text.substring(0, colon).strip();
        if (!FIELD_NAME.matcher(header).matches()) {
            throw new IllegalArgumentException(key + ": '" + header + "' is not a header field name; " + SYNTAX);
        }
        String expression = text.substring(colon + 1, arrow).strip();
        if (expression.isEmpty()) {
            throw new IllegalArgumentException(key + ": the pattern is empty; " + SYNTAX);
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(expression, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + ": bad pattern '" + expression + "': " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        String folder = text.substring(arrow + 2).strip();
        try {
            MaildirFolders.checkFolderName(folder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
        return new FilingRule(header, pattern, folder);
    }

    /** @param values the decoded values of this rule's header field in one message */
    public boolean matches(List<String> values) {
        return values.stream().anyMatch(value -> pattern.matcher(value).find());
    }

    @Override
    public String toString() {
        return header + ": " + pattern.pattern() + " -> " + folder;
    }
}
