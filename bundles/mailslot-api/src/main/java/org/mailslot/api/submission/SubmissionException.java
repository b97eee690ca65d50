package org.mailslot.api.submission;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/** A message was not accepted; nothing of it was stored. */
@ProviderType
public class SubmissionException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a message was refused, with the SMTP reply an SMTP listener gives for it. */
    @ProviderType
    public enum Reason {
        /** The message is larger than the configured limit: 552 5.3.4. */
        TOO_LARGE(false, 552, "5.3.4"),
        /** The message or envelope is malformed (bare CR or LF, NUL, bad header): 550 5.6.0. */
        MALFORMED(false, 550, "5.6.0"),
        /** Policy refuses the message, for example an unauthorised sender: 550 5.7.1. */
        REFUSED(false, 550, "5.7.1"),
        /** Not enough storage right now: 452 4.3.1. */
        STORAGE_FULL(true, 452, "4.3.1"),
        /** The spool could not store the message (I/O error, shutting down): 451 4.3.0. */
        UNAVAILABLE(true, 451, "4.3.0");

        private final boolean temporary;
        private final int replyCode;
        private final String enhancedCode;

        Reason(boolean temporary, int replyCode, String enhancedCode) {
            this.temporary = temporary;
            this.replyCode = replyCode;
            this.enhancedCode = enhancedCode;
        }

        /** @return true if the same submission may succeed later */
        public boolean isTemporary() {
            return temporary;
        }

        /** @return the SMTP reply code that reports this reason */
        public int replyCode() {
            return replyCode;
        }

        /** @return the enhanced status code (RFC 3463) that reports this reason */
        public String enhancedCode() {
            return enhancedCode;
        }
    }

    private final Reason reason;

    public SubmissionException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SubmissionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the message was refused */
    public Reason reason() {
        return reason;
    }

    /** @return true if trying the same submission later may succeed */
    public boolean isTemporary() {
        return reason.isTemporary();
    }
}
