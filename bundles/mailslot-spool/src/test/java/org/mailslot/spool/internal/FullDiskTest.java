package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailslot.spool.internal.Fixtures.envelope;
import static org.mailslot.spool.internal.Fixtures.files;
import static org.mailslot.spool.internal.Fixtures.submit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionException.Reason;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.testing.peers.Processes;

/**
 * A spool on a real file system that fills up: a 256 KiB tmpfs, mounted for the test (the tests
 * run as root). The I/O layer words its errors as a German system would, so that nothing can
 * depend on the English "No space left on device".
 */
class FullDiskTest {

    private static final long MAX = 1024 * 1024;

    @TempDir
    Path dir;
    private Path small;

    @BeforeEach
    void mount() throws IOException {
        small = Files.createDirectory(dir.resolve("small"));
        Processes.Result mounted = Processes.run(java.time.Duration.ofSeconds(10),
                List.of("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString()));
        assertThat(mounted.exitCode()).as("mount a 256 KiB tmpfs (needs root): " + mounted.output()).isZero();
    }

    @AfterEach
    void unmount() {
        Processes.Result unmounted = Processes.run(java.time.Duration.ofSeconds(10), List.of("umount", small.toString()));
        assertThat(unmounted.exitCode()).as(unmounted.output()).isZero();
    }

    @Test
    void aFullFileSystemAnswers452WhateverTheLocaleAndNeverGivesAReceipt() throws Exception {
        try (FileSpool spool = new FileSpool(small.resolve("spool"), MAX, new GermanIo(), Clock.systemUTC())) {
            SubmissionReceipt first = submit(spool, envelope("a@example.org", "b@example.org"), new byte[150 * 1024]);

            // Room to begin, none to finish: the write fails half way.
            assertThatThrownBy(() -> submit(spool, envelope("a@example.org", "b@example.org"), new byte[150 * 1024]))
                    .isInstanceOfSatisfying(SubmissionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.STORAGE_FULL);
                        assertThat(e.reason().replyCode() + " " + e.reason().enhancedCode()).isEqualTo("452 4.3.1");
                        assertThat(e.getMessage()).startsWith("Spool storage is full: ").contains("kein Speicherplatz");
                        assertThat(e.isTemporary()).isTrue();
                    });
            assertThat(files(small.resolve("spool/tmp"))).as("the half message is gone").isEmpty();

            submit(spool, envelope("a@example.org", "b@example.org"), new byte[60 * 1024]);
            // Now less than a buffer is left: refused before anything is written.
            assertThatThrownBy(() -> spool.begin(envelope("a@example.org", "b@example.org")))
                    .isInstanceOfSatisfying(SubmissionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.STORAGE_FULL);
                        assertThat(e.getMessage()).startsWith("Spool storage is full: less than 64 KiB free");
                    });
            assertThat(spool.depth()).isEqualTo(2);
            assertThat(files(small.resolve("spool/tmp"))).isEmpty();

            spool.remove(spool.entry(first.id()).orElseThrow());
            assertThat(submit(spool, envelope("a@example.org", "b@example.org"), new byte[100 * 1024]).size())
                    .isEqualTo(100 * 1024);
        }
    }

    @Test
    void anIoErrorWithRoomLeftIsNotAFullDisk() throws Exception {
        SpoolIo broken = new GermanIo() {
            @Override
            public SpoolFile create(Path file) throws IOException {
                throw new IOException(file + ": Eingabe-/Ausgabefehler");
            }
        };
        try (FileSpool spool = new FileSpool(small.resolve("spool"), MAX, broken, Clock.systemUTC())) {
            // A small message meets the error when its segment is created, a large one when its own file is.
            assertThatThrownBy(() -> submit(spool, envelope("a@example.org", "b@example.org"), new byte[100]))
                    .isInstanceOfSatisfying(SubmissionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                        assertThat(e.reason().replyCode()).isEqualTo(451);
                        assertThat(e.getMessage()).startsWith("Could not commit the message: ").contains("Eingabe-/Ausgabefehler");
                    });
            assertThatThrownBy(() -> submit(spool, envelope("a@example.org", "b@example.org"), new byte[150 * 1024]))
                    .isInstanceOfSatisfying(SubmissionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                        assertThat(e.reason().replyCode()).isEqualTo(451);
                        assertThat(e.getMessage()).startsWith("Could not create a spool file: ");
                    });
            assertThat(spool.depth()).isZero();
        }
    }

    /** The real file system, with its errors in German as under LANG=de_DE.UTF-8. */
    private static class GermanIo implements SpoolIo {

        @Override
        public SpoolFile create(Path file) throws IOException {
            SpoolFile real = german(() -> SpoolIo.SYSTEM.create(file));
            return new SpoolFile() {
                @Override
                public void write(ByteBuffer buffer) throws IOException {
                    german(() -> {
                        real.write(buffer);
                        return null;
                    });
                }

                @Override
                public void write(ByteBuffer buffer, long position) throws IOException {
                    german(() -> {
                        real.write(buffer, position);
                        return null;
                    });
                }

                @Override
                public void force() throws IOException {
                    german(() -> {
                        real.force();
                        return null;
                    });
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            SpoolIo.SYSTEM.syncDirectory(directory);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            SpoolIo.SYSTEM.move(from, to);
        }

        interface Step<T> {
            T run() throws IOException;
        }

        static <T> T german(Step<T> step) throws IOException {
            try {
                return step.run();
            } catch (IOException e) {
                throw new IOException(String.valueOf(e.getMessage()).replace("No space left on device",
                        "Auf dem Gerät ist kein Speicherplatz mehr verfügbar"), e);
            }
        }
    }
}
