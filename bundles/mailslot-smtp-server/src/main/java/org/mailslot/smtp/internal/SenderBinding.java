package org.mailslot.smtp.internal;

import java.util.Locale;

import org.mailslot.api.mail.MailAddress;

/** Which sender addresses an authenticated user may use in MAIL FROM. */
enum SenderBinding {
    /** Any sender. */
    NONE("none"),
    /** The login must be the sender's local part (or the whole sender address). */
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
     * @return true if the login may send as the sender
     */
    boolean permits(String login, MailAddress sender) {
        if (this == NONE) {
            return true;
        }
        if (sender == null) {
            return false;
        }
        boolean exact = login.contains("@") && sender.equals(parseOrNull(login));
        return switch (this) {
            case EXACT -> exact;
            case LOGIN_MUST_MATCH_LOCAL_PART -> exact || sender.localPart().equals(login);
            default -> true;
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
