package org.mailslot.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailslot.api.auth.SpfResult;

/** RFC 7208 section 4.6 and 12: what a record may contain; a syntax error anywhere is a permerror. */
class SpfRecordTest {

    @Test
    void parsesEveryMechanismWithQualifiersAndPrefixes() throws Exception {
        SpfRecord record = SpfRecord.parse("v=spf1 +a -mx:example.org/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:db8::/32 "
                + "include:_spf.example.org exists:%{i}.x.example.org redirect=example.net exp=why.example.org -all");
        assertEquals(8, record.mechanisms().size());
        SpfRecord.Mechanism mx = record.mechanisms().get(1);
        assertEquals(SpfResult.FAIL, mx.qualifier());
        assertEquals("example.org", mx.domainSpec());
        assertEquals(24, mx.ip4Prefix());
        assertEquals(64, mx.ip6Prefix());
        assertEquals(SpfResult.SOFTFAIL, record.mechanisms().get(2).qualifier());
        assertEquals("example.net", record.redirect());
        assertEquals("why.example.org", record.explanation());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=spf1", "V=SPF1 -all", "v=spf1  ip4:192.0.2.1  -all"})
    void recognizesSpfRecords(String text) throws Exception {
        assertTrue(SpfRecord.isSpf(text));
        SpfRecord.parse(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=spf10", "v=spf1-all", "spf1 -all", "v=spf2.0/pra -all"})
    void ignoresOtherRecords(String text) {
        assertFalse(SpfRecord.isSpf(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=spf1 -all:x", "v=spf1 ip4:192.0.2.1/33", "v=spf1 ip4:192.0.02.1", "v=spf1 ip6:192.0.2.1",
        "v=spf1 a:example.org/024", "v=spf1 include", "v=spf1 include:", "v=spf1 mx:example", "v=spf1 a:example.123",
        "v=spf1 redirect=a.example redirect=b.example", "v=spf1 exp=a.example exp=b.example", "v=spf1 frob -all",
        "v=spf1 a:example.org,", "v=spf1 x=%{z}"})
    void syntaxErrorsArePermerrors(String text) {
        assertEquals(SpfResult.PERMERROR, assertThrows(SpfAbort.class, () -> SpfRecord.parse(text)).result());
    }
}
