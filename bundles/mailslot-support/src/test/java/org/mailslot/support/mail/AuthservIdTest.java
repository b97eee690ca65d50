package org.mailslot.support.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthservIdTest {

    private static final String ID = "mx.receiver.example";

    @Test
    void theIdIsTheFirstTokenAfterComments() {
        assertEquals(ID, AuthservId.of(" mx.receiver.example;\r\n\tspf=pass smtp.mailfrom=a@b.example"));
        assertEquals("quoted.example", AuthservId.of("(a (nested) comment) \"quoted.example\"; none"));
        assertEquals(ID, AuthservId.of("mx.receiver.example 1; none"));
        assertEquals("", AuthservId.of("; spf=pass"));
    }

    @Test
    void claimsIgnoresCaseAndAFinalDotOnly() {
        assertTrue(AuthservId.claims("mx.receiver.example; spf=pass smtp.mailfrom=a@b.example", ID));
        assertTrue(AuthservId.claims(" (forged) MX.Receiver.Example.; dkim=pass", ID));
        assertFalse(AuthservId.claims("mx.receiver.example.evil; dkim=pass", ID));
        assertFalse(AuthservId.claims("other.example; spf=pass", ID));
        assertFalse(AuthservId.claims("; spf=pass", ID));
    }
}
