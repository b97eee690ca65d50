package org.mailslot.transport.internal.delivery.policy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.support.config.ListProperty;

/**
 * Decides the TLS policy for a recipient domain, as Postfix's {@code smtp_tls_policy_maps} with
 * {@code smtp_tls_security_level} as the default: the one place that does.
 *
 * <ol>
 * <li>A {@code tls.policy} entry for the domain ({@code example.com=dane-only}), or else for a parent
 * domain written with a leading dot ({@code .example.com=secure}, the longest match): what the
 * operator configured wins.
 * <li>Else, if the domain publishes an MTA-STS policy in {@code enforce} or {@code testing} mode:
 * {@link TlsPolicyLevel#MTA_STS}; but with {@code dane} or {@code dane-only} as the default, DANE
 * (RFC 8461 section 2: DANE takes precedence where the MX host has TLSA records), with the MTA-STS
 * policy kept for the hosts without.
 * <li>Else the default level, {@code tls.security.level}.
 * </ol>
 *
 * <p>Thread-safe; immutable but for the MTA-STS policies it consults.
 */
public final class TlsPolicies {

    /** The property of the default level. */
    public static final String DEFAULT_PROPERTY = "tls.security.level";

    /** The property of the per-destination entries. */
    public static final String TABLE_PROPERTY = "tls.policy";

    private final TlsPolicyLevel defaultLevel;
    private final Map<String, TlsPolicyLevel> table;
    private final Supplier<MtaStsPolicies> mtaSts;

    /**
     * @param defaultLevel the level where no entry and no MTA-STS policy applies
     * @param table the entries, by domain in lower case ({@code .example.com} for its sub-domains)
     * @param mtaSts the MTA-STS policies of the moment
     */
    public TlsPolicies(TlsPolicyLevel defaultLevel, Map<String, TlsPolicyLevel> table, Supplier<MtaStsPolicies> mtaSts) {
        if (defaultLevel == TlsPolicyLevel.MTA_STS) {
            throw notConfigurable(DEFAULT_PROPERTY);
        }
        this.defaultLevel = defaultLevel;
        this.table = Map.copyOf(table);
        this.mtaSts = mtaSts;
    }

    /** Opportunistic TLS everywhere, no MTA-STS: the behaviour without any configuration. */
    public static TlsPolicies opportunistic() {
        return new TlsPolicies(TlsPolicyLevel.MAY, Map.of(), () -> MtaStsPolicies.NONE_PUBLISHED);
    }

    /**
     * @param where the configuration, for error messages ({@code MX delivery: })
     * @param defaultLevel the value of {@value #DEFAULT_PROPERTY}
     * @param entries the values of {@value #TABLE_PROPERTY}: {@code DOMAIN=LEVEL}, as a list or one
     *     comma-separated value
     * @throws IllegalArgumentException naming the property and the value that is wrong
     */
    public static TlsPolicies parse(String where, String defaultLevel, String[] entries, Supplier<MtaStsPolicies> mtaSts) {
        TlsPolicyLevel level;
        try {
            level = TlsPolicyLevel.fromConfigName(defaultLevel);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + DEFAULT_PROPERTY + ": " + e.getMessage(), e);
        }
        if (level == TlsPolicyLevel.MTA_STS) {
            throw new IllegalArgumentException(where + notConfigurable(DEFAULT_PROPERTY).getMessage());
        }
        Map<String, TlsPolicyLevel> table = new LinkedHashMap<>();
        for (String entry : ListProperty.split(where + TABLE_PROPERTY, entries)) {
            int equals = entry.indexOf('=');
            String domain = equals < 0 ? "" : entry.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            if (domain.isEmpty() || domain.equals(".") || domain.contains("..")) {
                throw new IllegalArgumentException(where + TABLE_PROPERTY + ": '" + entry
                        + "' is not DOMAIN=LEVEL (example.com=dane-only, or .example.com=secure for its sub-domains)");
            }
            TlsPolicyLevel entryLevel;
            try {
                entryLevel = TlsPolicyLevel.fromConfigName(entry.substring(equals + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + TABLE_PROPERTY + " entry " + domain + ": " + e.getMessage(), e);
            }
            if (entryLevel == TlsPolicyLevel.MTA_STS) {
                throw new IllegalArgumentException(where + notConfigurable(TABLE_PROPERTY + " entry " + domain).getMessage());
            }
            if (table.put(domain, entryLevel) != null) {
                throw new IllegalArgumentException(where + TABLE_PROPERTY + ": " + domain + " has more than one entry");
            }
        }
        return new TlsPolicies(level, table, mtaSts);
    }

    private static IllegalArgumentException notConfigurable(String property) {
        return new IllegalArgumentException(property + ": mta-sts is not set, it applies by itself to a domain"
                + " that publishes an MTA-STS policy; choose may, encrypt, dane, dane-only, verify or secure");
    }

    /**
     * @param domain a recipient domain (A-labels), any case
     * @return the policy to apply to its MX hosts, and why
     */
    public DestinationPolicy decide(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        Optional<DestinationPolicy> configured = entryFor(name);
        if (configured.isPresent()) {
            return configured.get();
        }
        MtaStsPolicies policies = mtaSts.get();
        Optional<MtaStsPolicy> published = policies.policyOf(name)
                .filter(policy -> policy.mode() != MtaStsPolicy.Mode.NONE);
        if (published.isPresent()) {
            MtaStsPolicy policy = published.get();
            String mode = policy.mode().name().toLowerCase(Locale.ROOT);
            if (defaultLevel == TlsPolicyLevel.DANE || defaultLevel == TlsPolicyLevel.DANE_ONLY) {
                return new DestinationPolicy(name, defaultLevel, DEFAULT_PROPERTY + "=" + defaultLevel
                        + ", before the domain's MTA-STS policy (" + mode + ", id " + policy.id() + ")", published);
            }
            return new DestinationPolicy(name, TlsPolicyLevel.MTA_STS, name + " publishes an MTA-STS policy (" + mode
                    + ", id " + policy.id() + ")", published);
        }
        return new DestinationPolicy(name, defaultLevel, DEFAULT_PROPERTY + "=" + defaultLevel, Optional.empty(),
                policies.fetchFailure(name));
    }

    private Optional<DestinationPolicy> entryFor(String name) {
        TlsPolicyLevel exact = table.get(name);
        if (exact != null) {
            return Optional.of(new DestinationPolicy(name, exact, TABLE_PROPERTY + " entry " + name, Optional.empty()));
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            String parent = name.substring(dot);
            TlsPolicyLevel level = table.get(parent);
            if (level != null) {
                return Optional.of(new DestinationPolicy(name, level, TABLE_PROPERTY + " entry " + parent,
                        Optional.empty()));
            }
        }
        return Optional.empty();
    }

    /** @return the default level */
    public TlsPolicyLevel defaultLevel() {
        return defaultLevel;
    }
}
