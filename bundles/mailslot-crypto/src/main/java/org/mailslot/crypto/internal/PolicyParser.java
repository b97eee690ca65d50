package org.mailslot.crypto.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.mailslot.api.crypto.CryptoTechnology;

/**
 * Reads the policy from the properties of PID {@code org.mailslot.crypto}. It owns the
 * properties that start with {@code default.} and {@code rule.} and checks them strictly; every
 * other property (the key stores' {@code .keys.passphrase}, Config Admin's own) is left alone.
 *
 * <pre>
 * default.encrypt = never | if-possible | required      (never)
 * default.sign = never | always                          (never)
 * default.technology = pgp | smime                       (pgp)
 * rule.NAME = TARGET[, TARGET...] : SETTING[ SETTING...]
 *     TARGET  alice@example.org | example.org | *.example.org
 *     SETTING encrypt=... | sign=... | technology=...
 * </pre>
 */
final class PolicyParser {

    static final String DEFAULT_PREFIX = "default.";
    static final String RULE_PREFIX = "rule.";

    private PolicyParser() {
    }

    /**
     * @param properties the configuration
     * @return the policy
     * @throws IllegalArgumentException naming the property that is wrong and why
     */
    static CryptoPolicy parse(Map<String, ?> properties) {
        Map<String, String> owned = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(DEFAULT_PREFIX) || key.startsWith(RULE_PREFIX)) {
                owned.put(key, text(value));
            }
        });
        RecipientPolicy defaults = CryptoPolicy.BUILT_IN_DEFAULTS;
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, String> entry : owned.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            try {
                if (key.startsWith(RULE_PREFIX)) {
                    rules.add(rule(key, value));
                } else {
                    defaults = withDefault(defaults, key, value);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
        checkConflicts(rules);
        return new CryptoPolicy(defaults, rules);
    }

    /** A value typed as a list in a .cfg file ({@code ["a@x", "b@y : ..."]}) reads as its items joined. */
    private static String text(Object value) {
        if (value instanceof String[] items) {
            return String.join(", ", items);
        }
        if (value instanceof java.util.Collection<?> items) {
            return String.join(", ", items.stream().map(String::valueOf).toList());
        }
        return value == null ? "" : String.valueOf(value);
    }

    private static RecipientPolicy withDefault(RecipientPolicy defaults, String key, String value) {
        return switch (key.substring(DEFAULT_PREFIX.length())) {
            case "encrypt" -> new RecipientPolicy(EncryptRule.fromConfig(value), defaults.sign(), defaults.preferred());
            case "sign" -> new RecipientPolicy(defaults.encrypt(), SignRule.fromConfig(value), defaults.preferred());
            case "technology" -> new RecipientPolicy(defaults.encrypt(), defaults.sign(),
                    CryptoTechnology.fromConfig(value));
            default -> throw new IllegalArgumentException(
                    "unknown default (default.encrypt, default.sign, default.technology)");
        };
    }

    private static Rule rule(String key, String value) {
        String name = key.substring(RULE_PREFIX.length());
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a rule name is letters, digits, '-' and '_' (rule.partners)");
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + value + "' has no ':' between the targets and the settings"
                    + " (example.org, bob@example.com : encrypt=required sign=always)");
        }
        List<Target> targets = new ArrayList<>();
        for (String target : value.substring(0, colon).split(",")) {
            targets.add(Target.parse(target));
        }
        Map<String, String> settings = settings(value.substring(colon + 1));
        Rule rule = new Rule(name, targets,
                Optional.ofNullable(settings.remove("encrypt")).map(EncryptRule::fromConfig),
                Optional.ofNullable(settings.remove("sign")).map(SignRule::fromConfig),
                Optional.ofNullable(settings.remove("technology")).map(CryptoTechnology::fromConfig));
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException("unknown setting '" + settings.keySet().iterator().next()
                    + "' (encrypt, sign, technology)");
        }
        if (rule.encrypt().isEmpty() && rule.sign().isEmpty() && rule.technology().isEmpty()) {
            throw new IllegalArgumentException("no settings after ':' (encrypt=..., sign=..., technology=...)");
        }
        return rule;
    }

    private static Map<String, String> settings(String text) {
        Map<String, String> settings = new HashMap<>();
        for (String word : text.strip().split("[\\s,;]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int equals = word.indexOf('=');
            if (equals <= 0 || equals == word.length() - 1) {
                throw new IllegalArgumentException("'" + word + "' is not a setting (encrypt=required, sign=always,"
                        + " technology=smime)");
            }
            String setting = word.substring(0, equals);
            if (settings.put(setting, word.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("'" + setting + "' is set twice");
            }
        }
        return settings;
    }

    /** Two rules naming the same target must not make the same setting: which would win? */
    private static void checkConflicts(List<Rule> rules) {
        checkConflicts(rules, "encrypt", Rule::encrypt);
        checkConflicts(rules, "sign", Rule::sign);
        checkConflicts(rules, "technology", Rule::technology);
    }

    private static void checkConflicts(List<Rule> rules, String setting, Function<Rule, Optional<?>> value) {
        Map<Target, Rule> setBy = new HashMap<>();
        for (Rule rule : rules) {
            if (value.apply(rule).isEmpty()) {
                continue;
            }
            for (Target target : rule.targets()) {
                Rule earlier = setBy.putIfAbsent(target, rule);
                if (earlier != null && earlier != rule) {
                    throw new IllegalArgumentException(RULE_PREFIX + earlier.name() + " and " + RULE_PREFIX
                            + rule.name() + " both set " + setting + " for " + target);
                }
            }
        }
    }
}
