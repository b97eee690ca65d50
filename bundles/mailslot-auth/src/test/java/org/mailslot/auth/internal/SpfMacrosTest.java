package org.mailslot.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7208 section 7.4's examples, and the macro-strings section 7.1 forbids. */
class SpfMacrosTest {

    private static SpfMacros.Context context(String ip) throws Exception {
        return new SpfMacros.Context("strong-bad@email.example.com", "email.example.com", InetAddress.getByName(ip),
                "mx.example.org", "receiver.example.net", () -> "mx.example.org");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "%{s}|strong-bad@email.example.com",
        "%{o}|email.example.com",
        "%{d}|email.example.com",
        "%{d4}|email.example.com",
        "%{d3}|email.example.com",
        "%{d2}|example.com",
        "%{d1}|com",
        "%{dr}|com.example.email",
        "%{d2r}|example.email",
        "%{l}|strong-bad",
        "%{l-}|strong.bad",
        "%{lr}|strong-bad",
        "%{lr-}|bad.strong",
        "%{l1r-}|strong",
        "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
        "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
        "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
        "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
        "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
        "%{p}|mx.example.org",
        "%{h}|mx.example.org",
        "%%%_%-|% %20",
    })
    void rfc7208Examples(String spec, String expanded) throws Exception {
        assertEquals(expanded, SpfMacros.expand(spec, context("192.0.2.3"), false));
    }

    @org.junit.jupiter.api.Test
    void ipv6Nibbles() throws Exception {
        assertEquals("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
                SpfMacros.expand("%{ir}.%{v}._spf.%{d2}", context("2001:db8::cb01"), false));
    }

    @org.junit.jupiter.api.Test
    void uppercaseLettersAreUrlEscaped() throws Exception {
        SpfMacros.Context context = new SpfMacros.Context("a b@example.com", "example.com",
                InetAddress.getByName("192.0.2.3"), "h", "r", () -> "unknown");
        assertEquals("a%20b", SpfMacros.expand("%{L}", context, false));
    }

    @org.junit.jupiter.api.Test
    void explanationsMayUseClientReceiverAndTime() throws Exception {
        assertEquals("192.0.2.3 at receiver.example.net",
                SpfMacros.expand("%{c} at %{r}", context("192.0.2.3"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%{c}", "%{r}", "%{t}", "%{x}", "%{d0}", "%{d1r;}", "%{d", "%", "%a", "a b"})
    void invalidOutsideExplanations(String spec) {
        SpfAbort abort = assertThrows(SpfAbort.class, () -> SpfMacros.validate(spec, false));
        assertEquals(org.mailslot.api.auth.SpfResult.PERMERROR, abort.result());
    }
}
