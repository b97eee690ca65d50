package org.mailslot.crypto.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.mail.MailAddress;

/**
 * The parsed policy: defaults and rules. For each recipient and each setting, the most specific
 * rule naming the recipient that makes the setting decides; without one, the default does.
 * Immutable.
 */
final class CryptoPolicy {

    /** Encrypt never, sign never, prefer pgp: what holds without configuration. */
    static final RecipientPolicy BUILT_IN_DEFAULTS = new RecipientPolicy(EncryptRule.NEVER, SignRule.NEVER,
            CryptoTechnology.PGP);

    private record Match(Rule rule, int specificity) {
    }

    private final RecipientPolicy defaults;
    private final List<Rule> rules;
    private final boolean touchesNobody;

    CryptoPolicy(RecipientPolicy defaults, List<Rule> rules) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.rules = List.copyOf(rules);
        this.touchesNobody = defaults.isClear() && this.rules.stream()
                .allMatch(rule -> rule.encrypt().orElse(EncryptRule.NEVER) == EncryptRule.NEVER
                        && rule.sign().orElse(SignRule.NEVER) == SignRule.NEVER);
    }

    /** @return whether no recipient is encrypted or signed for, unless a message asks for it */
    boolean touchesNobody() {
        return touchesNobody;
    }

    static CryptoPolicy builtIn() {
        return new CryptoPolicy(BUILT_IN_DEFAULTS, List.of());
    }

    RecipientPolicy defaults() {
        return defaults;
    }

    List<Rule> rules() {
        return rules;
    }

    /** @return what the policy asks for this recipient */
    RecipientPolicy forRecipient(MailAddress recipient) {
        List<Match> matches = rules.stream()
                .flatMap(rule -> rule.targets().stream().filter(target -> target.matches(recipient))
                        .map(target -> new Match(rule, target.specificity())))
                .sorted(Comparator.comparingInt(Match::specificity).reversed())
                .toList();
        return new RecipientPolicy(
                mostSpecific(matches, Rule::encrypt).orElse(defaults.encrypt()),
                mostSpecific(matches, Rule::sign).orElse(defaults.sign()),
                mostSpecific(matches, Rule::technology).orElse(defaults.preferred()));
    }

    private static <T> Optional<T> mostSpecific(List<Match> matches, Function<Rule, Optional<T>> setting) {
        return matches.stream().map(match -> setting.apply(match.rule())).flatMap(Optional::stream).findFirst();
    }
}
