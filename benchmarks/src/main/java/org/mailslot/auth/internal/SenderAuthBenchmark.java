package org.mailslot.auth.internal;

import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mailslot.api.auth.DmarcResult;
import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SpfResult;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.dkim.internal.CachedDkim;
import org.mailslot.support.dns.CachingDnsQuery;
import org.mailslot.support.dns.DnsAnswer;
import org.mailslot.support.dns.DnsQuery;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The sender checks of one received message per iteration, as a relay listener runs them: SPF of
 * MAIL FROM and HELO, DKIM of every signature, the ARC chain (none, or one set by a forwarder), DMARC, and the Authentication-Results field, on a
 * 1 KB message (and a 100 KB one with an ARC set); one thread, DNS answers (SPF records with include, a and mx; the DMARC record; the
 * keys) in the caches the service uses, so that the figure is the checks' own processor time. Rate =
 * messages / processor time of the thread (one core), after a warm-up as long as the measurement.
 *
 * <p>It lives in mailslot-auth's package because the parts it measures are package-private there.
 * Options: {@code --seconds N} per measurement (default 3).
 */
public final class SenderAuthBenchmark {

    private static final String DOMAIN = "bench.example.com";

    public static void main(String[] args) throws Exception {
        double seconds = 3;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seconds")) {
                seconds = Double.parseDouble(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + " (--seconds N)");
            }
        }
        Map<String, List<Record>> zone = Map.of(
                DOMAIN + "/" + Type.TXT, List.of(txt(DOMAIN, "v=spf1 include:_spf." + DOMAIN + " mx a:out." + DOMAIN + " -all")),
                "_spf." + DOMAIN + "/" + Type.TXT, List.of(txt("_spf." + DOMAIN, "v=spf1 ip4:198.51.100.0/24 ip4:203.0.113.0/24 ~all")),
                DOMAIN + "/" + Type.MX, List.of(new MXRecord(name(DOMAIN), DClass.IN, 3600, 10, name("mx." + DOMAIN))),
                "mx." + DOMAIN + "/" + Type.A, List.of(new ARecord(name("mx." + DOMAIN), DClass.IN, 3600, InetAddress.getByName("192.0.2.25"))),
                "out." + DOMAIN + "/" + Type.A, List.of(new ARecord(name("out." + DOMAIN), DClass.IN, 3600, InetAddress.getByName("192.0.2.10"))),
                "_dmarc." + DOMAIN + "/" + Type.TXT, List.of(txt("_dmarc." + DOMAIN, "v=DMARC1; p=reject; rua=mailto:d@" + DOMAIN)),
                "client.example.net/" + Type.TXT, List.of(txt("client.example.net", "v=spf1 a -all")),
                "client.example.net/" + Type.A, List.of(new ARecord(name("client.example.net"), DClass.IN, 3600, InetAddress.getByName("192.0.2.10"))));
        DnsQuery dns = new CachingDnsQuery((n, type) -> {
            List<Record> records = zone.get(DomainNames.normalize(n) + "/" + type);
            return records == null ? DnsAnswer.nxdomain() : DnsAnswer.found(records, 3600);
        }, Clock.systemUTC());
        PublicSuffixList suffixes = PublicSuffixList.read(Path.of("/usr/share/publicsuffix/public_suffix_list.dat"));
        InetAddress client = InetAddress.getByName("192.0.2.10");

        System.out.println("| message | DKIM signatures | ARC sets | SPF + DKIM + ARC + DMARC msg/s (one core) |"
                + " DKIM and ARC verification alone, two readings msg/s | the same in one reading msg/s |");
        System.out.println("|---|---|---|---:|---:|---:|");
        record Variant(int size, List<DkimAlgorithm> algorithms, boolean sealed) {
        }
        for (Variant variant : List.of(new Variant(1024, List.of(DkimAlgorithm.RSA_SHA256), false),
                new Variant(1024, List.of(DkimAlgorithm.ED25519_SHA256), false),
                new Variant(1024, List.of(DkimAlgorithm.ED25519_SHA256, DkimAlgorithm.RSA_SHA256), false),
                new Variant(1024, List.of(DkimAlgorithm.ED25519_SHA256), true),
                new Variant(1024, List.of(DkimAlgorithm.RSA_SHA256), true),
                new Variant(102400, List.of(DkimAlgorithm.ED25519_SHA256), true))) {
            List<DkimAlgorithm> algorithms = variant.algorithms();
            CachedDkim dkim = CachedDkim.sign(DOMAIN, message(variant.size()), algorithms, variant.sealed());
            SenderChecks checks = new SenderChecks(dns, suffixes, dkim.signatureVerifier(), "mx.receiver.example", true, () -> 0);
            MessageSource source = MessageSource.of(dkim.signed());
            SenderAuthentication first = checks.authenticate(Optional.of(client), "client.example.net", "alice@" + DOMAIN, source);
            if (first.mailFrom().result() != SpfResult.PASS || first.dmarc().result() != DmarcResult.PASS
                    || first.dkim().passing().size() != algorithms.size()
                    || first.arc().result() != (variant.sealed() ? ArcResult.PASS : ArcResult.NONE)) {
                throw new IllegalStateException("the checks do not pass: " + first.headerFields());
            }
            double rate = rate(seconds, () -> checks.authenticate(Optional.of(client), "client.example.net", "alice@" + DOMAIN, source));
            String readings = "- | -";
            if (variant.sealed()) {
                double twice = rate(seconds, () -> List.of(dkim.verifier().verify(source), dkim.arcVerifier().verify(source)));
                double once = rate(seconds, () -> dkim.signatureVerifier().verify(source));
                readings = String.format("%.0f | %.0f", twice, once);
            }
            System.out.printf("| %d KB | %s | %s | %.0f | %s |%n", variant.size() / 1024, algorithms.stream()
                    .map(DkimAlgorithm::tag).reduce((a, b) -> a + " + " + b).orElseThrow(),
                    variant.sealed() ? "1 (rsa-sha256)" : "none", rate, readings);
        }
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static double rate(double seconds, Step step) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long budget = (long) (seconds * 1e9);
        for (long start = threads.getCurrentThreadCpuTime(); threads.getCurrentThreadCpuTime() - start < budget;) {
            step.run();
        }
        long count = 0;
        long start = threads.getCurrentThreadCpuTime();
        long used;
        do {
            step.run();
            count++;
            used = threads.getCurrentThreadCpuTime() - start;
        } while (used < budget);
        return count / (used / 1e9);
    }

    /** A message of exactly {@code size} octets, 76-character lines. */
    static byte[] message(int size) {
        StringBuilder text = new StringBuilder("From: Alice <alice@" + DOMAIN + ">\r\nTo: bob@receiver.example\r\n"
                + "Subject: quarterly figures\r\nDate: Mon, 07 Dec 2026 12:00:00 +0000\r\nMessage-ID: <bench@" + DOMAIN
                + ">\r\n\r\n");
        while (text.length() < size) {
            text.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tem\r\n");
        }
        text.setLength(size - 2);
        text.append("\r\n");
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static Record txt(String name, String text) {
        return new TXTRecord(name(name), DClass.IN, 3600, text);
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name + ".");
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
