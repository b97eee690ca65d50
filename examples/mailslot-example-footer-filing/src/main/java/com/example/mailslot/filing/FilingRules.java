package com.example.mailslot.filing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.mailslot.mime.EncodedWords;
import com.example.mailslot.mime.MimeEntity;

/**
 * The ordered rules of the filing handler, read from configuration properties {@code rule.1},
 * {@code rule.2}, ... (in numeric order; the first rule that matches wins) and a default folder
 * for mail that no rule matches. Immutable.
 */
public final class FilingRules {

    static final String INBOX = "INBOX";
    private static final Pattern RULE_KEY = Pattern.compile("rule\\.(.*)");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

    private final List<FilingRule> rules;
    private final String defaultFolder;

    public FilingRules(List<FilingRule> rules, String defaultFolder) {
        this.rules = List.copyOf(rules);
        this.defaultFolder = defaultFolder;
    }

    /**
     * @param properties the component's configuration
     * @param defaultFolder where unmatched mail goes
     * @throws IllegalArgumentException naming the first bad rule
     */
    public static FilingRules from(Map<String, ?> properties, String defaultFolder) {
        MaildirFolders.checkFolderName(defaultFolder);
        TreeMap<Integer, FilingRule> ordered = new TreeMap<>();
        for (Map.Entry<String, ?> property : properties.entrySet()) {
            Matcher key = RULE_KEY.matcher(property.getKey());
            if (!key.matches()) {
                continue;
            }
            if (!NUMBER.matcher(key.group(1)).matches()) {
                throw new IllegalArgumentException(property.getKey() + ": rules are numbered rule.1, rule.2, ...");
            }
            Object value = property.getValue();
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(property.getKey() + ": expected one rule as text, got " + value);
            }
            ordered.put(Integer.valueOf(key.group(1)), FilingRule.parse(property.getKey(), text));
        }
        return new FilingRules(new ArrayList<>(ordered.values()), defaultFolder);
    }

    /** @return the rules, in the order they are tried */
    public List<FilingRule> rules() {
        return rules;
    }

    /**
     * @param header the message's header section (octets up to the empty line)
     * @return the folder of the first matching rule, else the default folder
     */
    public String folderFor(byte[] header) {
        MimeEntity fields = MimeEntity.parse(header);
        for (FilingRule rule : rules) {
            List<String> values = fields.values(rule.header()).stream().map(FilingRules::text).toList();
            if (rule.matches(values)) {
                return rule.folder();
            }
        }
        return defaultFolder;
    }

    /** Header octets are UTF-8 where RFC 6532 allows it; encoded words cover the rest. */
    private static String text(String latin1) {
        byte[] octets = latin1.getBytes(StandardCharsets.ISO_8859_1);
        String utf8 = new String(octets, StandardCharsets.UTF_8);
        String decoded = utf8.contains("\uFFFD") ? latin1 : utf8;
        return EncodedWords.decode(decoded);
    }
}
