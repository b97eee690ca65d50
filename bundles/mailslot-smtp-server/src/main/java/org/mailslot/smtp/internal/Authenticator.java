package org.mailslot.smtp.internal;

/**
 * Checks a user name and password from SMTP AUTH. Called off the event loop; may block.
 * Implementations must be thread-safe.
 */
interface Authenticator {

    /**
     * @param user the authentication identity the client gave
     * @param password the password; the caller clears it afterwards
     * @return true if the credentials are valid
     */
    boolean authenticate(String user, char[] password);
}
