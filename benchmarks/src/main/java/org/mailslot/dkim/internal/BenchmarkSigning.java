package org.mailslot.dkim.internal;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.pipeline.MessageProcessor;

/** The dkim-sign stage with fresh keys, for benchmarks outside this package (relay.sh --dkim). */
public final class BenchmarkSigning {

    private BenchmarkSigning() {
    }

    /**
     * @param domain the From domain to sign for
     * @param kind rsa, ed25519 or dual
     * @param dir where the key files go
     * @return the stage, signing relaxed/relaxed
     */
    public static MessageProcessor processor(String domain, String kind, Path dir) throws Exception {
        List<DkimAlgorithm> algorithms = algorithms(kind);
        DkimSigningProcessor processor = new DkimSigningProcessor(new SigningConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SigningConfig.class;
            }

            @Override
            public String missing_key() {
                return "wait";
            }

            @Override
            public String canonicalization() {
                return "relaxed/relaxed";
            }
        }, Clock.systemUTC());
        Files.createDirectories(dir);
        for (DkimAlgorithm algorithm : algorithms) {
            String selector = algorithm.keyType();
            KeyFile.generate(algorithm).write(dir.resolve(ConfiguredKey.fileName(domain, selector)));
            processor.bindKey(new ConfiguredKey(new DkimKeyConfig() {
                @Override
                public Class<? extends Annotation> annotationType() {
                    return DkimKeyConfig.class;
                }

                @Override
                public String domain() {
                    return domain;
                }

                @Override
                public String selector() {
                    return selector;
                }

                @Override
                public String key() {
                    return "";
                }

                @Override
                public String algorithm() {
                    return "";
                }
            }, dir));
        }
        return processor;
    }

    /**
     * Writes new keys as a distribution keeps them ({@code etc/mailslot/dkim/DOMAIN-SELECTOR.pem}, the
     * selector named after the key type), for its {@code org.mailslot.dkim} configurations.
     *
     * @return the selectors written
     */
    public static List<String> writeKeys(String domain, String kind, Path keyDirectory) throws Exception {
        List<String> selectors = new java.util.ArrayList<>();
        for (DkimAlgorithm algorithm : algorithms(kind)) {
            String selector = algorithm.keyType();
            KeyFile.generate(algorithm).write(keyDirectory.resolve(ConfiguredKey.fileName(domain, selector)));
            selectors.add(selector);
        }
        return selectors;
    }

    private static List<DkimAlgorithm> algorithms(String kind) {
        return switch (kind) {
            case "rsa" -> List.of(DkimAlgorithm.RSA_SHA256);
            case "ed25519" -> List.of(DkimAlgorithm.ED25519_SHA256);
            case "dual" -> List.of(DkimAlgorithm.ED25519_SHA256, DkimAlgorithm.RSA_SHA256);
            default -> throw new IllegalArgumentException("--dkim must be rsa, ed25519 or dual, not " + kind);
        };
    }
}
