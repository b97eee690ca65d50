package org.mailslot.transport.internal.delivery.mx;

/** A domain's mail hosts could not be found; {@link #permanent()} says whether trying later may help. */
public final class MxLookupException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;
    private final String enhancedCode;

    /**
     * @param message what went wrong, naming the domain
     * @param permanent true if the domain does not exist or accepts no mail
     * @param enhancedCode the RFC 3463 code for the recipients: 5.1.2 (no such domain), 5.1.10
     *     (null MX), 4.4.3 (lookup failed)
     */
    public MxLookupException(String message, boolean permanent, String enhancedCode) {
        super(message);
        this.permanent = permanent;
        this.enhancedCode = enhancedCode;
    }

    public boolean permanent() {
        return permanent;
    }

    public String enhancedCode() {
        return enhancedCode;
    }
}
