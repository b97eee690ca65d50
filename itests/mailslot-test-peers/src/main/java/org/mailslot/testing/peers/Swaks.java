package org.mailslot.testing.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs swaks, the Swiss Army Knife for SMTP, as an independent SMTP client: for sending through a
 * {@link PostfixPeer} or into Mailslot's SMTP server.
 *
 * <pre>{@code
 * Swaks.Result r = Swaks.command().server("127.0.0.2", 587).from("a@example.test").to("b@example.test")
 *         .starttls().auth("relayuser", "secret", "PLAIN").run();
 * assertThat(r.exitCode()).as(r.transcript()).isZero();
 * }</pre>
 *
 * <p>Exit codes (from {@code man swaks}): 0 success, 2 bad arguments or missing prerequisites,
 * 21 connection or banner failure, 22 HELO/EHLO refused, 23 MAIL refused, 24 no recipient accepted,
 * 25 DATA or the message refused, 28 AUTH failed or not offered, 29 TLS failed or not offered.
 */
public final class Swaks {

    /** The default time limit of one swaks run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Swaks() {
    }

    /**
     * What a swaks run did.
     *
     * @param command the command line
     * @param exitCode swaks's exit status
     * @param transcript the SMTP conversation and any errors ({@code <-} server, {@code ->} client,
     *     {@code <~}/{@code ~>} inside TLS)
     */
    public record Result(List<String> command, int exitCode, String transcript) {

        /** @return whether swaks exited 0 (the message was accepted) */
        public boolean succeeded() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "swaks exited " + exitCode + ":\n" + transcript;
        }
    }

    /**
     * Runs swaks with the given arguments.
     *
     * @param args swaks's arguments
     * @return the result, whatever the exit status
     */
    public static Result run(String... args) {
        return run(DEFAULT_TIMEOUT, List.of(args));
    }

    /**
     * Runs swaks with the given arguments and time limit.
     *
     * @param timeout how long it may take
     * @param args swaks's arguments
     * @return the result, whatever the exit status
     */
    public static Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("swaks");
        command.addAll(args);
        Processes.Result result = Processes.run(timeout, command);
        return new Result(result.command(), result.exitCode(), result.output());
    }

    /** @return a new command line builder */
    public static Command command() {
        return new Command();
    }

    /** A swaks command line, built option by option. */
    public static final class Command {
        private final List<String> args = new ArrayList<>();
        private Duration timeout = DEFAULT_TIMEOUT;

        private Command() {
        }

        /** @param host server address @param port server port @return this */
        public Command server(String host, int port) {
            return arg("--server", host, "--port", Integer.toString(port));
        }

        /** @param address envelope sender @return this */
        public Command from(String address) {
            return arg("--from", address);
        }

        /** @param addresses envelope recipients @return this */
        public Command to(String... addresses) {
            return arg("--to", String.join(",", addresses));
        }

        /** @param name EHLO name @return this */
        public Command helo(String name) {
            return arg("--ehlo", name);
        }

        /** Requires STARTTLS ({@code --tls}): fails with 29 if not offered. @return this */
        public Command starttls() {
            return arg("--tls");
        }

        /** Uses STARTTLS if offered ({@code --tls-optional}). @return this */
        public Command starttlsOptional() {
            return arg("--tls-optional");
        }

        /** TLS from the first byte ({@code --tls-on-connect}), for port 465. @return this */
        public Command tlsOnConnect() {
            return arg("--tls-on-connect");
        }

        /**
         * Verifies the server certificate against a CA bundle ({@code --tls-verify --tls-ca-path}).
         *
         * @param caPem a PEM file, e.g. from {@link TestCa#writeCertificatePem}
         * @return this
         */
        public Command verifyWith(Path caPem) {
            return arg("--tls-verify", "--tls-ca-path", caPem.toString());
        }

        /**
         * @param user SASL user
         * @param password its password
         * @param mechanism e.g. PLAIN, LOGIN
         * @return this
         */
        public Command auth(String user, String password, String mechanism) {
            return arg("--auth", mechanism, "--auth-user", user, "--auth-password", password);
        }

        /** @param header a header line such as "Subject: hello" @return this */
        public Command header(String header) {
            return arg("--add-header", header);
        }

        /** @param body the message body @return this */
        public Command body(String body) {
            return arg("--body", body);
        }

        /** @param file a complete RFC 5322 message to send as DATA @return this */
        public Command data(Path file) {
            return arg("--data", "@" + file);
        }

        /** @param stage stop after this stage, e.g. "AUTH", "MAIL", "RCPT" ({@code --quit-after}) @return this */
        public Command quitAfter(String stage) {
            return arg("--quit-after", stage);
        }

        /** @param values any other arguments, verbatim @return this */
        public Command arg(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        /** @param timeout time limit of the run @return this */
        public Command timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** @return the arguments so far */
        public List<String> args() {
            return List.copyOf(args);
        }

        /** @return the result of running swaks with these arguments */
        public Result run() {
            return Swaks.run(timeout, args);
        }
    }
}
