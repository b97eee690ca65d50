package org.mailslot.smtp.internal;

import java.util.Locale;
import java.util.Set;

import org.mailslot.api.mail.MailAddress;

/**
 * Which sender addresses an authenticated user may use in MAIL FROM, and so which ones the
 * listener vouches for as the user's own.
 */
enum SenderBinding {
    /** Any sender; none is vouched for. */
    NONE("none"),
    /**
     * The login is the sender's local part and the sender's domain one of the sender domains, or
     * the login is the whole sender address.
     */
    LOGIN_MUST_MATCH_LOCAL_PART("login-must-match-local-part"),
    /** The login must be the whole sender address (domain compared without case). */
    EXACT("exact");

    private final String configName;

    SenderBinding(String configName) {
        this.configName = configName;
    }

    static SenderBinding fromConfigName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (SenderBinding binding : values()) {
            if (binding.configName.equals(wanted)) {
                return binding;
            }
        }
        throw new IllegalArgumentException("sender.binding must be none, login-must-match-local-part or exact, not \"" + name + "\"");
    }

    /**
     * @param login the authenticated login
     * @param sender the MAIL FROM address, null for the null reverse path
     * @param domains the normalized domains in which a login may use its local part
     * @return true if the login may send as the sender
     */
    boolean permits(String login, MailAddress sender, Set<String> domains) {
        return this == NONE || owns(login, sender, domains);
    }

    /**
     * @return true if this binding establishes that the login owns the sender address; never
     *     for {@link #NONE}, which checks nothing
     */
    boolean owns(String login, MailAddress sender, Set<String> domains) {
        if (this == NONE || sender == null) {
            return false;
        }
        boolean exact = login.contains("@") && sender.equals(parseOrNull(login));
        return switch (this) {
            case EXACT -> exact;
            case LOGIN_MUST_MATCH_LOCAL_PART -> exact
                    || sender.localPart().equals(login) && domains.contains(sender.normalizedDomain());
            case NONE -> false;
        };
    }

    private static MailAddress parseOrNull(String login) {
        try {
            return MailAddress.parse(login);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return configName;
    }
}
