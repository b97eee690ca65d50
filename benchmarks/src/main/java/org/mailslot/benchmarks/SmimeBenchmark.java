package org.mailslot.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.smime.internal.SmimeComponent;

/**
 * S/MIME throughput: encrypt-and-sign and decrypt-and-verify of a 10 MB message (MB/s) and of
 * 4 KB messages (messages/s), Mailslot's S/MIME component against {@code openssl cms} on the same
 * inputs, keys and algorithms, in the same run.
 *
 * <ul>
 *   <li>Keys: signer Alice EC P-256 (ECDSA with SHA-256), recipient Bob RSA-3072, one CA.</li>
 *   <li>Mailslot: {@code SmimeComponent} built with {@code new}, in-process, JIT warmed first;
 *       {@code protect(SIGN_AND_ENCRYPT)} gives multipart/signed inside AuthEnvelopedData
 *       (AES-256-GCM, RSA-OAEP); {@code open} decrypts and verifies (path to the CA, From match).</li>
 *   <li>OpenSSL: {@code openssl cms -sign | openssl cms -encrypt -aes-256-gcm} (RSA-OAEP keyopt) and
 *       {@code openssl cms -decrypt | openssl cms -verify -CAfile}, through {@code sh -c}, wall time
 *       including process start — which is what using the tool costs per message.</li>
 * </ul>
 * The median of the repetitions is reported; MB/s are 10^6 octets of the input message per second.
 */
public final class SmimeBenchmark {

    private static final MailAddress ALICE = MailAddress.parse("alice@example.org");
    private static final MailAddress BOB = MailAddress.parse("bob@example.net");

    private SmimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int largeReps = intOption(args, "--large-reps", 5);
        int smallCount = intOption(args, "--small", 2000);
        int opensslSmall = intOption(args, "--openssl-small", 40);
        int largeSize = intOption(args, "--large-size", 10 * 1024 * 1024);
        Path work = Files.createTempDirectory("smime-bench-");
        System.setProperty("karaf.etc", work.resolve("etc").toString());
        try {
            run(work, largeSize, largeReps, smallCount, opensslSmall);
        } finally {
            deleteTree(work);
        }
    }

    private static void run(Path work, int largeSize, int largeReps, int smallCount, int opensslSmall) throws Exception {
        Pki pki = new Pki(work);
        SmimeComponent alice = new SmimeComponent(new Config(work.resolve("alice")));
        alice.importKeys(pki.alice.pkcs12(), "bench".toCharArray());
        alice.importKeys(pem(pki.bob.certificate).getBytes(StandardCharsets.US_ASCII), null);
        alice.importKeys(pem(pki.caCertificate).getBytes(StandardCharsets.US_ASCII), null, true);
        SmimeComponent bob = new SmimeComponent(new Config(work.resolve("bob")));
        bob.importKeys(pki.bob.pkcs12(), "bench".toCharArray());
        bob.importKeys(pem(pki.caCertificate).getBytes(StandardCharsets.US_ASCII), null, true);

        byte[] large = message(largeSize);
        byte[] small = message(4096);
        Path largeEntity = Files.write(work.resolve("large.eml"), large);
        Path smallEntity = Files.write(work.resolve("small.eml"), small);

        System.err.println("warming up ...");
        for (int i = 0; i < 3; i++) {
            mailslotRoundTrip(alice, bob, large);
        }
        for (int i = 0; i < 2000; i++) {
            mailslotRoundTrip(alice, bob, small);
        }
        openssl(pki, work, largeEntity, "warm");

        List<Long> mEnc = new ArrayList<>();
        List<Long> mDec = new ArrayList<>();
        List<Long> oEnc = new ArrayList<>();
        List<Long> oDec = new ArrayList<>();
        for (int rep = 0; rep < largeReps; rep++) {
            long[] m = mailslotRoundTrip(alice, bob, large);
            mEnc.add(m[0]);
            mDec.add(m[1]);
            long[] o = openssl(pki, work, largeEntity, "large");
            oEnc.add(o[0]);
            oDec.add(o[1]);
        }

        long start = System.nanoTime();
        List<byte[]> sealed = new ArrayList<>(smallCount);
        for (int i = 0; i < smallCount; i++) {
            sealed.add(protect(alice, small));
        }
        long mSmallEnc = System.nanoTime() - start;
        start = System.nanoTime();
        for (byte[] message : sealed) {
            open(bob, message);
        }
        long mSmallDec = System.nanoTime() - start;
        long oSmallEnc = 0;
        long oSmallDec = 0;
        for (int i = 0; i < opensslSmall; i++) {
            long[] o = openssl(pki, work, smallEntity, "small");
            oSmallEnc += o[0];
            oSmallDec += o[1];
        }

        double mb = largeSize / 1_000_000.0;
        double mEncRate = mb / seconds(median(mEnc));
        double mDecRate = mb / seconds(median(mDec));
        double oEncRate = mb / seconds(median(oEnc));
        double oDecRate = mb / seconds(median(oDec));
        double mSmallEncRate = smallCount / seconds(mSmallEnc);
        double mSmallDecRate = smallCount / seconds(mSmallDec);
        double oSmallEncRate = opensslSmall / seconds(oSmallEnc);
        double oSmallDecRate = opensslSmall / seconds(oSmallDec);
        System.out.printf(Locale.ROOT, "| Measurement | Mailslot | openssl cms | Mailslot / openssl |%n|---|---:|---:|---:|%n");
        String size = largeSize % (1024 * 1024) == 0 ? (largeSize / (1024 * 1024)) + " MiB" : String.format(Locale.ROOT, "%.1f MB", mb);
        System.out.printf(Locale.ROOT, "| encrypt+sign %s (MB/s) | **%.0f** | %.0f | **%.2f×** |%n", size, mEncRate, oEncRate, mEncRate / oEncRate);
        System.out.printf(Locale.ROOT, "| decrypt+verify %s (MB/s) | **%.0f** | %.0f | **%.2f×** |%n", size, mDecRate, oDecRate, mDecRate / oDecRate);
        System.out.printf(Locale.ROOT, "| encrypt+sign 4 KB (msg/s) | **%.0f** | %.1f | **%.0f×** |%n", mSmallEncRate, oSmallEncRate, mSmallEncRate / oSmallEncRate);
        System.out.printf(Locale.ROOT, "| decrypt+verify 4 KB (msg/s) | **%.0f** | %.1f | **%.0f×** |%n", mSmallDecRate, oSmallDecRate, mSmallDecRate / oSmallDecRate);
        System.out.printf(Locale.ROOT, "%n10 MB runs (ms): Mailslot encrypt+sign %s, decrypt+verify %s; openssl %s, %s%n",
                millis(mEnc), millis(mDec), millis(oEnc), millis(oDec));
        System.out.printf(Locale.ROOT, "4 KB: Mailslot %d messages, openssl %d messages%n", smallCount, opensslSmall);
    }

    private static long[] mailslotRoundTrip(SmimeComponent alice, SmimeComponent bob, byte[] message) throws Exception {
        long start = System.nanoTime();
        byte[] sealed = protect(alice, message);
        long encrypt = System.nanoTime() - start;
        start = System.nanoTime();
        open(bob, sealed);
        return new long[] {encrypt, System.nanoTime() - start};
    }

    private static byte[] protect(SmimeComponent alice, byte[] message) throws Exception {
        return read(alice.protect(ALICE, List.of(BOB), Protection.SIGN_AND_ENCRYPT, MessageSource.of(message)));
    }

    private static void open(SmimeComponent bob, byte[] sealed) throws Exception {
        OpenedMessage opened = bob.open(MessageSource.of(sealed));
        if (!opened.decrypted() || opened.verification().status() != VerificationStatus.VALID) {
            throw new IllegalStateException("round trip failed: " + opened.verification());
        }
        try (InputStream in = opened.content().open()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /** @return nanoseconds of openssl's sign|encrypt and decrypt|verify pipelines */
    private static long[] openssl(Pki pki, Path work, Path entity, String name) throws Exception {
        Path sealed = work.resolve(name + ".p7m");
        Path opened = work.resolve(name + ".out");
        String signEncrypt = "openssl cms -sign -in " + entity + " -signer " + pki.alicePem + " -inkey " + pki.aliceKey
                + " -md sha256 | openssl cms -encrypt -binary -aes-256-gcm -recip " + pki.bobPem
                + " -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -out " + sealed;
        String decryptVerify = "openssl cms -decrypt -binary -in " + sealed + " -recip " + pki.bobPem + " -inkey " + pki.bobKey
                + " | openssl cms -verify -CAfile " + pki.caPem + " -purpose smimesign -out " + opened;
        return new long[] {shell(signEncrypt), shell(decryptVerify)};
    }

    private static long shell(String command) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("failed: " + command);
        }
        return System.nanoTime() - start;
    }

    /** @return a message of exactly {@code size} octets: headers, then 76-character ASCII lines with CR LF */
    static byte[] message(int size) {
        String headers = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: benchmark\r\n"
                + "Date: Sat, 28 Nov 2026 03:00:00 +0000\r\nMessage-ID: <bench@example.org>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(headers.getBytes(StandardCharsets.US_ASCII));
        SecureRandom random = new SecureRandom(new byte[] {1});
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,";
        while (out.size() < size) {
            int length = Math.min(76, size - out.size() - 2);
            if (length <= 0) {
                out.write('x');
                continue;
            }
            for (int i = 0; i < length; i++) {
                out.write(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            out.write('\r');
            out.write('\n');
        }
        return Arrays.copyOf(out.toByteArray(), size);
    }

    private static byte[] read(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String millis(List<Long> values) {
        return values.stream().map(v -> String.valueOf(v / 1_000_000)).toList().toString();
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static String pem(Object object) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The S/MIME configuration: a store directory per side, a fixed passphrase. */
    private record Config(Path directory) implements SmimeComponent.Config {
        @Override
        public String _keys_passphrase() {
            return "benchmark-passphrase";
        }

        @Override
        public String smime_directory() {
            return directory.toString();
        }

        @Override
        public String smime_trust_pem() {
            return "";
        }

        @Override
        public String[] smime_crls() {
            return new String[0];
        }

        @Override
        public String[] smime_legacy_recipients() {
            return new String[0];
        }

        @Override
        public String smime_generate_key() {
            return "ec-p256";
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return SmimeComponent.Config.class;
        }
    }

    /** A CA, Alice (EC P-256) and Bob (RSA-3072), in memory and as PEM files for openssl. */
    private static final class Pki {
        final X509Certificate caCertificate;
        final Identity alice;
        final Identity bob;
        final Path caPem;
        final Path alicePem;
        final Path aliceKey;
        final Path bobPem;
        final Path bobKey;
        private final KeyPair caKeys;

        Pki(Path work) throws Exception {
            caKeys = keys("EC");
            X500Name name = new X500Name("CN=Benchmark CA");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), name, caKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caCertificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            alice = issue("alice@example.org", keys("EC"), KeyUsage.keyAgreement, 2);
            bob = issue("bob@example.net", keys("RSA"), KeyUsage.keyEncipherment, 3);
            caPem = Files.writeString(work.resolve("ca.pem"), pem(caCertificate));
            alicePem = Files.writeString(work.resolve("alice.pem"), pem(alice.certificate));
            aliceKey = Files.writeString(work.resolve("alice.key"), pem(new JcaPKCS8Generator(alice.key, null).generate()));
            bobPem = Files.writeString(work.resolve("bob.pem"), pem(bob.certificate));
            bobKey = Files.writeString(work.resolve("bob.key"), pem(new JcaPKCS8Generator(bob.key, null).generate()));
        }

        private Identity issue(String address, KeyPair keys, int usage, int serial) throws Exception {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(caCertificate, BigInteger.valueOf(serial),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                    new X500Name("CN=" + address), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | usage));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            return new Identity(keys.getPrivate(), certificate, caCertificate);
        }

        private static KeyPair keys(String algorithm) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(3072);
            }
            return generator.generateKeyPair();
        }
    }

    private record Identity(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        byte[] pkcs12() throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("identity", key, "bench".toCharArray(), new Certificate[] {certificate, ca});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, "bench".toCharArray());
            return out.toByteArray();
        }
    }
}
