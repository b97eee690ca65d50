package org.mailslot.crypto.internal;

import java.util.Objects;

import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.Protection;

/** What is done to a message for one recipient. Recipients with equal treatments share one copy. */
sealed interface Treatment {

    /** Delivered as it is. */
    record Clear() implements Treatment {
    }

    /** Delivered protected with the technology. */
    record Protect(CryptoTechnology technology, Protection protection) implements Treatment {
        public Protect {
            Objects.requireNonNull(technology, "technology");
            Objects.requireNonNull(protection, "protection");
        }
    }

    /** Refused for good: no key or service that may come could meet the policy (a forged sender). */
    record Refuse(String reason) implements Treatment {
        public Refuse {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Kept in the spool: the policy cannot be met now. */
    record Hold(String reason) implements Treatment {
        public Hold {
            Objects.requireNonNull(reason, "reason");
        }
    }

    Treatment CLEAR = new Clear();
}
