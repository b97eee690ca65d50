package org.mailslot.testing.peers;

/**
 * A test peer could not be set up, started, driven or stopped. The message always says what was
 * attempted and carries the evidence: the command's output and, for daemons, the tail of their log.
 */
public class PeerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the evidence
     */
    public PeerException(String message) {
        super(message);
    }

    /**
     * @param message what failed, with the evidence
     * @param cause the underlying failure
     */
    public PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
