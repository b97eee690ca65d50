package org.mailslot.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's python3-dkim (dkimpy) as a DKIM peer. {@code dkimverify} asks the resolvers of
 * /etc/resolv.conf on port 53, where the test DNS ({@link DnsmasqPeer}) never listens, so
 * {@link #verify} runs what dkimverify runs, for every signature, with key lookups sent to the given
 * server. The tools are run with /usr/bin/python3: a python3 earlier on the PATH may not see
 * Debian's packages.
 */
public final class Dkimpy {

    /** How long one run may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final String PYTHON = "/usr/bin/python3";

    private static final String VERIFY = """
            import sys
            import dkim
            import dns.resolver

            host, port = sys.argv[1].rsplit(':', 1)
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = [host]
            resolver.port = int(port)

            def txt(name, timeout=5):
                name = name.decode() if isinstance(name, bytes) else name
                try:
                    answer = resolver.resolve(name, 'TXT', lifetime=timeout)
                except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                    return None
                return b''.join(answer[0].strings)

            message = sys.stdin.buffer.read()
            headers, _ = dkim.rfc822_parse(message)
            count = sum(1 for name, _ in headers if name.lower() == b'dkim-signature')
            passed = count > 0
            for index in range(count):
                verifier = dkim.DKIM(message)
                try:
                    result = verifier.verify(idx=index, dnsfunc=txt)
                    detail = ''
                except dkim.DKIMException as e:
                    result = False
                    detail = ' (' + str(e) + ')'
                fields = verifier.signature_fields or {}
                algorithm = fields.get(b'a', b'?').decode()
                selector = fields.get(b's', b'?').decode()
                print('signature %d %s s=%s: %s%s' % (index, algorithm, selector, 'pass' if result else 'fail', detail))
                passed = passed and result
            sys.exit(0 if passed else 1)
            """;

    private static final String ARC_VERIFY = """
            import sys, json, dkim
            records = json.load(open(sys.argv[1]))
            def txt(name, timeout=5):
                name = (name.decode() if isinstance(name, bytes) else name).rstrip('.')
                record = records.get(name)
                return record.encode() if record else None
            cv, results, reason = dkim.arc_verify(sys.stdin.buffer.read(), dnsfunc=txt)
            print('cv=%s (%s)' % (cv.decode() if cv else None, reason))
            for r in results:
                print('i=%d ams=%s as=%s cv=%s d=%s' % (r['instance'], r['ams-valid'], r['as-valid'],
                      r['cv'].decode(), r['as-domain'].decode()))
            sys.exit(0 if cv == dkim.CV_Pass else 1)
            """;

    private Dkimpy() {
    }

    /**
     * Verifies a message's ARC chain with {@code dkim.arc_verify}, keys looked up in the given records
     * (its {@code dnsfunc}): the first line is {@code cv=pass (success)}, {@code cv=fail (REASON)} or
     * {@code cv=none (...)}, then one line per set, newest first: {@code i=2 ams=True as=True cv=pass
     * d=example.org}; exits 0 only if the chain passes.
     *
     * @param records TXT records by name, e.g. {@code sel._domainkey.example.org}
     * @param message the message
     * @return the run
     */
    public static ToolRun arcVerify(Map<String, String> records, byte[] message) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("dkimpy-arc-");
            Path script = Files.writeString(dir.resolve("verify.py"), ARC_VERIFY, StandardCharsets.UTF_8);
            StringBuilder json = new StringBuilder("{");
            for (Map.Entry<String, String> record : records.entrySet()) {
                json.append(json.length() > 1 ? ", " : "").append(jsonString(record.getKey())).append(": ")
                        .append(jsonString(record.getValue()));
            }
            Path file = Files.writeString(dir.resolve("records.json"), json.append('}'), StandardCharsets.UTF_8);
            return ToolRun.run(TIMEOUT, message, Map.of(), List.of(PYTHON, script.toString(), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary directory
                }
            }
        }
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c < 0x20 ? ' ' : c);
        }
        return out.append('"').toString();
    }

    /**
     * Verifies every DKIM signature of a message, one line per signature:
     * {@code signature 0 ed25519-sha256 s=sel: pass}; exits 0 only if there is one and all pass.
     *
     * @param resolver {@code address:port} of the DNS server that publishes the keys
     * @param message the message
     * @return the run
     */
    public static ToolRun verify(String resolver, byte[] message) {
        Path script = null;
        try {
            script = Files.createTempFile("dkimpy-verify-", ".py");
            Files.writeString(script, VERIFY, StandardCharsets.UTF_8);
            return ToolRun.run(TIMEOUT, message, Map.of(), List.of(PYTHON, script.toString(), resolver));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    /**
     * {@code dkimsign SELECTOR DOMAIN KEY [options]}: the message with dkimpy's signature on top.
     *
     * @param key an RSA PEM key, or for {@code --signalg ed25519-sha256} the base64 Ed25519 seed
     * @param options e.g. {@code --signalg ed25519-sha256 --hcanon relaxed --bcanon relaxed}
     * @return the run; its standard output is the signed message
     */
    public static ToolRun sign(String selector, String domain, Path key, byte[] message, String... options) {
        List<String> command = new ArrayList<>(List.of(PYTHON, "/usr/bin/dkimsign", selector, domain, key.toString()));
        command.addAll(List.of(options));
        return ToolRun.run(TIMEOUT, message, Map.of(), command);
    }

    /**
     * @return a dnsmasq option publishing a TXT record, split into character-strings of at most 255 octets
     */
    public static String txtRecordOption(String name, String record) {
        List<String> strings = new ArrayList<>();
        for (int at = 0; at < record.length(); at += 255) {
            strings.add(record.substring(at, Math.min(record.length(), at + 255)));
        }
        return "--txt-record=" + name + "," + String.join(",", strings);
    }
}
