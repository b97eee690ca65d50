package org.mailslot.dkim.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * What one RSA 2048 DKIM signature costs in Java, by provider and key form: processor time per
 * signature of one thread (the data is a header hash's size), after a warm-up. The JDK's SunRsaSign
 * with the CRT key (what {@code KeyFile} loads), the same without CRT parameters, Bouncy Castle
 * (lightweight signer, blinded; its raw engine without blinding; its JCA provider), and the floor:
 * BigInteger's two CRT exponentiations alone, and with three or four primes (multi-prime RSA, RFC
 * 8017, which no Java provider signs with). Compare {@code openssl speed rsa2048}.
 *
 * <p>Usage: {@code java -cp "benchmarks/target/mailslot-benchmarks.jar:benchmarks/target/lib/*"
 * org.mailslot.dkim.internal.RsaSigningBenchmark [--seconds N]}
 */
public final class RsaSigningBenchmark {

    private interface Op {
        Object run() throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RsaSigningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length == 2 && args[0].equals("--seconds") ? Double.parseDouble(args[1]) : 3;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
        PrivateKey plain = KeyFactory.getInstance("RSA").generatePrivate(
                new RSAPrivateKeySpec(crt.getModulus(), crt.getPrivateExponent()));
        byte[] data = new byte[700];
        new SecureRandom().nextBytes(data);
        RSAPrivateCrtKeyParameters bcKey = new RSAPrivateCrtKeyParameters(crt.getModulus(), crt.getPublicExponent(),
                crt.getPrivateExponent(), crt.getPrimeP(), crt.getPrimeQ(), crt.getPrimeExponentP(),
                crt.getPrimeExponentQ(), crt.getCrtCoefficient());
        Provider bc = new BouncyCastleProvider();
        byte[] block = new byte[255];
        block[1] = 1;
        RSAEngine raw = new RSAEngine();
        raw.init(true, bcKey);
        System.out.println("| RSA 2048 signature | ms of processor time | signatures/s on one core |");
        System.out.println("|---|---:|---:|");
        measure("JDK SunRsaSign, CRT key (Mailslot's)", seconds, () -> {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(crt);
            s.update(data);
            return s.sign();
        });
        measure("JDK SunRsaSign, key without CRT parameters", seconds, () -> {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(plain);
            s.update(data);
            return s.sign();
        });
        measure("Bouncy Castle RSADigestSigner (blinded CRT)", seconds, () -> {
            RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
            s.init(true, bcKey);
            s.update(data, 0, data.length);
            return s.generateSignature();
        });
        measure("Bouncy Castle JCA provider", seconds, () -> {
            Signature s = Signature.getInstance("SHA256withRSA", bc);
            s.initSign(crt);
            s.update(data);
            return s.sign();
        });
        measure("Bouncy Castle RSAEngine, CRT without blinding", seconds, () -> raw.processBlock(block, 0, block.length));
        for (int primes = 2; primes <= 4; primes++) {
            BigInteger[][] factors = factors(primes);
            BigInteger x = new BigInteger(2000, new SecureRandom());
            measure("floor: BigInteger.modPow, " + primes + " primes of " + 2048 / primes + " bits", seconds, () -> {
                BigInteger sum = BigInteger.ZERO;
                for (BigInteger[] factor : factors) {
                    sum = sum.add(x.mod(factor[0]).modPow(factor[1], factor[0]));
                }
                return sum;
            });
        }
    }

    /** @return primes of 2048 / count bits each with their CRT exponent for e = 65537 */
    private static BigInteger[][] factors(int count) {
        SecureRandom random = new SecureRandom();
        BigInteger e = BigInteger.valueOf(65537);
        BigInteger[][] factors = new BigInteger[count][];
        for (int i = 0; i < count; i++) {
            BigInteger p;
            do {
                p = BigInteger.probablePrime(2048 / count, random);
            } while (!p.subtract(BigInteger.ONE).gcd(e).equals(BigInteger.ONE));
            factors[i] = new BigInteger[] {p, e.modInverse(p.subtract(BigInteger.ONE))};
        }
        return factors;
    }

    private static void measure(String name, double seconds, Op op) throws Exception {
        long budget = (long) (seconds * 1e9);
        for (long start = THREADS.getCurrentThreadCpuTime(); THREADS.getCurrentThreadCpuTime() - start < budget;) {
            op.run();
        }
        long count = 0;
        long start = THREADS.getCurrentThreadCpuTime();
        long used;
        do {
            op.run();
            count++;
            used = THREADS.getCurrentThreadCpuTime() - start;
        } while (used < budget);
        double ms = used / 1e6 / count;
        System.out.printf("| %s | %.3f | %.0f |%n", name, ms, 1000 / ms);
    }
}
