package org.mailslot.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailslot.api.auth.SpfCheck;
import org.mailslot.support.dns.CachingDnsQuery;
import org.mailslot.support.dns.DnsJavaQuery;
import org.mailslot.testing.peers.Dkimpy;
import org.mailslot.testing.peers.DnsmasqPeer;
import org.mailslot.testing.peers.Pyspf;

/**
 * The same SPF records (in a dnsmasq zone) and the same clients checked by Mailslot and by pyspf
 * (python3-spf, what {@code spfquery} runs): both must give the result RFC 7208 prescribes.
 */
@EnabledIf("peersInstalled")
class PyspfInteropTest {

    private static final String DEAD_SERVER = "127.0.0.9";
    private static DnsmasqPeer dns;
    private static SpfChecker mailslot;

    static boolean peersInstalled() {
        return new java.io.File("/usr/lib/python3/dist-packages/spf.py").isFile()
                && new java.io.File("/usr/sbin/dnsmasq").canExecute();
    }

    @BeforeAll
    static void publish() {
        List<String> options = new ArrayList<>();
        txt(options, "simple.test", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all");
        txt(options, "soft.test", "v=spf1 a mx ~all");
        txt(options, "mx.soft.test", "v=spf1 a -all");
        txt(options, "inc.test", "v=spf1 include:simple.test ?all");
        txt(options, "redir.test", "v=spf1 redirect=simple.test");
        txt(options, "redir-none.test", "v=spf1 redirect=none.test");
        txt(options, "inc-none.test", "v=spf1 include:none.test -all");
        txt(options, "macro.test", "v=spf1 exists:%{ir}.%{l1r-}.allow.%{d} -all");
        txt(options, "mxcidr.test", "v=spf1 mx:soft.test/24//64 -all");
        txt(options, "ptr.test", "v=spf1 ptr -all");
        txt(options, "void.test", "v=spf1 a:nx1.void.test a:nx2.void.test a:nx3.void.test ip4:192.0.2.0/24 -all");
        txt(options, "void2.test", "v=spf1 a:nx1.void.test a:nx2.void.test ip4:192.0.2.0/24 -all");
        txt(options, "twice.test", "v=spf1 -all");
        txt(options, "twice.test", "v=spf1 +all");
        txt(options, "badip.test", "v=spf1 ip4:192.0.2.300 -all");
        txt(options, "unknown.test", "v=spf1 foo:bar.test -all");
        txt(options, "modifier.test", "v=spf1 moo=%{d}.cow ip4:192.0.2.0/24 -all");
        txt(options, "badmacro.test", "v=spf1 ip4:192.0.2.0/24 exists:%{x}.test -all");
        txt(options, "temp.test", "v=spf1 include:dead.temp.test -all");
        txt(options, "exp.test", "v=spf1 -all exp=why.exp.test");
        txt(options, "why.exp.test", "%{c} is not one of %{d}'s servers");
        txt(options, "none.test", "some other text");
        String ten = IntStream.rangeClosed(1, 9).mapToObj(i -> "include:n" + i + ".test").reduce((a, b) -> a + " " + b).orElseThrow();
        txt(options, "ten.test", "v=spf1 " + ten + " a:ten.test -all");
        txt(options, "eleven.test", "v=spf1 " + ten + " include:n10.test a:ten.test -all");
        for (int i = 1; i <= 10; i++) {
            txt(options, "n" + i + ".test", "v=spf1 ?ip4:10.0.0." + i);
        }
        options.add("--host-record=ten.test,192.0.2.10");
        options.add("--host-record=soft.test,192.0.2.20");
        options.add("--host-record=mx.soft.test,198.51.100.5,2001:db8:5::5");
        options.add("--host-record=none.test,192.0.2.1");
        options.add("--host-record=10.2.0.192.bob.allow.macro.test,127.0.0.2");
        options.add("--host-record=host.ptr.test,192.0.2.10");
        options.add("--ptr-record=10.2.0.192.in-addr.arpa,host.ptr.test");
        dns = DnsmasqPeer.builder().localDomain("test").localDomain("2.0.192.in-addr.arpa")
                .mx("soft.test", "mx.soft.test", 10).forward("dead.temp.test", DEAD_SERVER, 9)
                .option("--local=/void.test/").options(options).start();
        mailslot = new SpfChecker(new CachingDnsQuery(new DnsJavaQuery(dns.resolver(), Duration.ofSeconds(2)),
                Clock.systemUTC()), "mx.receiver.test");
    }

    private static void txt(List<String> options, String name, String text) {
        options.add(Dkimpy.txtRecordOption(name, text));
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @ParameterizedTest(name = "{0} from {1} (HELO {2}): {3}")
    @CsvSource({
        "192.0.2.10, alice@simple.test, client.test, pass",
        "198.51.100.1, alice@simple.test, client.test, fail",
        "2001:db8::1, alice@simple.test, client.test, pass",
        "2001:db9::1, alice@simple.test, client.test, fail",
        "192.0.2.20, alice@soft.test, client.test, pass",
        "198.51.100.5, alice@soft.test, client.test, pass",
        "203.0.113.9, alice@soft.test, client.test, softfail",
        "2001:db8:5::5, alice@soft.test, client.test, pass",
        "192.0.2.10, alice@inc.test, client.test, pass",
        "198.51.100.1, alice@inc.test, client.test, neutral",
        "192.0.2.10, alice@redir.test, client.test, pass",
        "198.51.100.1, alice@redir.test, client.test, fail",
        "192.0.2.10, alice@redir-none.test, client.test, permerror",
        "192.0.2.10, alice@inc-none.test, client.test, permerror",
        "192.0.2.10, bob-alice@macro.test, client.test, pass",
        "192.0.2.10, alice-bob@macro.test, client.test, fail",
        "198.51.100.77, alice@mxcidr.test, client.test, pass",
        "198.51.101.77, alice@mxcidr.test, client.test, fail",
        "192.0.2.10, alice@ptr.test, client.test, pass",
        "192.0.2.11, alice@ptr.test, client.test, fail",
        "192.0.2.10, alice@void.test, client.test, permerror",
        "192.0.2.10, alice@void2.test, client.test, pass",
        "192.0.2.10, alice@twice.test, client.test, permerror",
        "192.0.2.10, alice@badip.test, client.test, permerror",
        "192.0.2.10, alice@unknown.test, client.test, permerror",
        "192.0.2.10, alice@modifier.test, client.test, pass",
        "192.0.2.10, alice@badmacro.test, client.test, permerror",
        "192.0.2.10, alice@temp.test, client.test, temperror",
        "192.0.2.10, alice@exp.test, client.test, fail",
        "192.0.2.10, alice@none.test, client.test, none",
        "192.0.2.10, alice@nowhere.test, client.test, none",
        "192.0.2.10, alice@ten.test, client.test, pass",
        "192.0.2.10, alice@eleven.test, client.test, permerror",
        "198.51.100.5, postmaster@mx.soft.test, mx.soft.test, pass",
        "198.51.100.6, postmaster@mx.soft.test, mx.soft.test, fail",
    })
    void mailslotAndPyspfAgree(String ip, String sender, String helo, String expected) throws Exception {
        SpfCheck ours = mailslot.checkMailFrom(InetAddress.getByName(ip), helo, sender);
        String theirs = Pyspf.check(dns.resolver(), ip, sender, helo);
        assertEquals(expected, theirs, "pyspf");
        assertEquals(expected, ours.result().keyword(), "Mailslot: " + ours.reason());
    }

    @ParameterizedTest(name = "HELO {1} from {0}: {2}")
    @CsvSource({
        "198.51.100.5, mx.soft.test, pass",
        "198.51.100.6, mx.soft.test, fail",
        "198.51.100.6, soft.test, softfail",
    })
    void heloChecksAgree(String ip, String helo, String expected) throws Exception {
        SpfCheck ours = mailslot.checkHelo(InetAddress.getByName(ip), helo);
        assertEquals(expected, Pyspf.check(dns.resolver(), ip, "postmaster@" + helo, helo), "pyspf");
        assertEquals(expected, ours.result().keyword(), "Mailslot: " + ours.reason());
    }

    @org.junit.jupiter.api.Test
    void aFailCarriesTheDomainsExplanation() throws Exception {
        SpfCheck check = mailslot.checkMailFrom(InetAddress.getByName("192.0.2.10"), "client.test", "alice@exp.test");
        assertEquals("fail", check.result().keyword());
        assertTrue(check.reason().equals("192.0.2.10 is not one of exp.test's servers"), check.reason());
    }
}
