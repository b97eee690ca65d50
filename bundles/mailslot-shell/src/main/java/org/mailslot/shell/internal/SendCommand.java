package org.mailslot.shell.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.pipeline.RequiredStage;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.api.transport.Attempt;
import org.mailslot.api.transport.DeliveryResult;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.api.transport.RecipientOutcome;
import org.mailslot.api.transport.Route;
import org.mailslot.support.mail.Crlf;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "mailslot", name = "send",
        description = "Composes a message (or reads one from a file) and submits it to the spool, printing its queue id;"
                + " with --direct delivers it at once instead, printing the outcome per recipient. --encrypt and --sign"
                + " ask the crypto policy (mailslot-crypto) to protect the message as if it required that for every"
                + " recipient: it is held in the spool until keys allow it.")
public class SendCommand implements Action {

    /** Messages read from a file are refused above this size; the shell is not a bulk tool. */
    static final long MAX_FILE_SIZE = 50L * 1024 * 1024;

    // Optional, so that one missing service does not hold back every command of this bundle.
    @Reference(optional = true)
    MailTransport transport;

    @Reference(optional = true)
    MailSubmission submission;

    @Reference(optional = true)
    OutboundPipeline pipeline;

    @Reference
    BundleContext bundleContext;

    @Reference(optional = true)
    ConfigurationAdmin configurationAdmin;

    /** Where --file is read from; set by tests, else configured. */
    ShellFiles files;

    @Option(name = "--from", description = "Sender address", required = true)
    String from;

    @Option(name = "--to", description = "Recipient address; repeat for more", required = true, multiValued = true)
    List<String> to;

    @Option(name = "--subject", description = "Subject of a composed message")
    String subject = "Test message from Mailslot";

    @Option(name = "--body", description = "Body text of a composed message")
    String body;

    @Option(name = "--file", description = "Send this RFC 5322 message file instead of composing one: the name of a file"
            + " in the shell's directory (org.mailslot.shell files.directory, default data/mailslot/shell), not a path")
    @Completion(ShellFileCompleter.class)
    String file;

    @Option(name = "--relay", description = "With --direct: use this relay route (default: the route for each recipient's domain)")
    String relay;

    @Option(name = "--direct", description = "Deliver now through the transport, bypassing the spool and its pipeline, and"
            + " print what each server said; refused while a pipeline stage would have to run (a required stage, or"
            + " a crypto policy that encrypts or signs mail to a recipient)")
    boolean direct;

    @Option(name = "--encrypt", description = "Encrypt to every recipient's key (the crypto policy does it in the spool;"
            + " held until every key is there)")
    boolean encrypt;

    @Option(name = "--sign", description = "Sign with the sender's key (the crypto policy does it in the spool); the"
            + " message's From field must name --from alone")
    boolean sign;

    @Override
    public Object execute() throws IOException {
        if (body != null && file != null) {
            throw new IllegalArgumentException("Give --body or --file, not both");
        }
        if (relay != null && !direct) {
            throw new IllegalArgumentException("--relay needs --direct; the spool routes each recipient by itself");
        }
        ProtectionRequest protection = new ProtectionRequest(encrypt, sign);
        if (protection.any() && direct) {
            throw new IllegalArgumentException("--encrypt and --sign are applied by the crypto policy in the spool;"
                    + " they cannot go with --direct");
        }
        MailTransport transport = null;
        MailSubmission submission = null;
        if (direct) {
            transport = Services.require(this.transport, MailTransport.class, "mailslot-transport");
        } else if (this.submission == null) {
            throw new IllegalStateException("No MailSubmission service is registered; is mailslot-spool started?");
        } else {
            submission = this.submission;
        }
        MailAddress sender = MailAddress.parse(from);
        List<MailAddress> recipients = to.stream().map(MailAddress::parse).toList();
        if (direct) {
            requireNoPipelineStage(sender, recipients);
        }
        byte[] message = file != null ? readMessage(files())
                : MessageComposer.compose(sender, recipients, subject, body == null ? "" : body, ZonedDateTime.now());
        if (protection.any()) {
            protection.requirePolicy(bundleContext);
            if (sign) {
                protection.requireAuthor(message, sender);
            }
            message = protection.addTo(message);
        }
        boolean eightBit = !MessageComposer.isAscii(new String(message, java.nio.charset.StandardCharsets.ISO_8859_1));

        if (submission != null) {
            // The operator at the console speaks for --from: the policy may sign as it, and as nobody else.
            Envelope.Builder envelope = Envelope.builder().from(sender).authenticatedSender(sender)
                    .bodyType(eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT);
            recipients.forEach(envelope::to);
            Envelope built = envelope.build();
            SubmissionReceipt receipt;
            try {
                receipt = submission.submit(built, new ByteArrayInputStream(message));
            } catch (SubmissionException e) {
                throw new IllegalStateException("The spool refused the message (" + e.reason().replyCode() + " "
                        + e.reason().enhancedCode() + "): " + e.getMessage(), e);
            }
            printReceipt(receipt, recipients, System.out);
            return null;
        }
        List<DeliveryResult> results = new ArrayList<>();
        for (Map.Entry<Route, List<MailAddress>> group : byRoute(transport, recipients).entrySet()) {
            Envelope.Builder envelope = Envelope.builder().from(sender)
                    .bodyType(eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT);
            group.getValue().forEach(envelope::to);
            results.add(transport.deliver(envelope.build(), MessageSource.of(message), group.getKey()));
        }
        print(results, System.out);
        return null;
    }

    /** --direct hands the message to the transport, past every pipeline stage: only when none has to run. */
    private void requireNoPipelineStage(MailAddress sender, List<MailAddress> recipients) {
        OutboundPipeline pipeline = this.pipeline;
        if (pipeline == null) {
            throw new IllegalStateException("--direct skips the outbound pipeline, and without mailslot-spool (no"
                    + " OutboundPipeline service) nothing tells whether a stage must run first. Nothing was sent.");
        }
        Envelope.Builder envelope = Envelope.builder().from(sender);
        recipients.forEach(envelope::to);
        List<RequiredStage> required = pipeline.requiredFor(envelope.build());
        if (!required.isEmpty()) {
            throw new IllegalArgumentException("--direct would skip the outbound pipeline, but "
                    + String.join("; ", required.stream().map(stage -> stage.stage() + " must run: " + stage.reason()).toList())
                    + ". Nothing was sent; without --direct the spool runs the pipeline.");
        }
    }

    private Map<Route, List<MailAddress>> byRoute(MailTransport transport, List<MailAddress> recipients) {
        Map<Route, List<MailAddress>> groups = new LinkedHashMap<>();
        if (relay != null) {
            Route route = transport.route(relay).orElseThrow(() -> new IllegalArgumentException("No route named "
                    + relay + "; configured: " + transport.routes().stream().map(Route::name).toList()));
            groups.put(route, recipients);
            return groups;
        }
        for (MailAddress recipient : recipients) {
            groups.computeIfAbsent(transport.routeFor(recipient), route -> new ArrayList<>()).add(recipient);
        }
        return groups;
    }

    private byte[] readMessage(ShellFiles files) throws IOException {
        return Crlf.canonical(files.read("--file", file, MAX_FILE_SIZE));
    }

    private ShellFiles files() throws IOException {
        return files != null ? files : ShellFiles.configured(configurationAdmin);
    }

    static void printReceipt(SubmissionReceipt receipt, List<MailAddress> recipients, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Queue ID");
        table.column("Size").alignRight();
        table.column("Recipients");
        table.addRow().addContent(receipt.id(), receipt.size(),
                String.join(", ", recipients.stream().map(MailAddress::toString).toList()));
        table.print(out);
        out.println("Queued; mailslot:queue " + receipt.id() + " shows its progress.");
    }

    static void print(List<DeliveryResult> results, PrintStream out) {
        ShellTable outcomes = new ShellTable();
        outcomes.column("Recipient");
        outcomes.column("Status");
        outcomes.column("Reply");
        outcomes.column("Route");
        outcomes.column("Via");
        outcomes.column("TLS");
        ShellTable attempts = new ShellTable();
        attempts.column("Route");
        attempts.column("Host");
        attempts.column("Port").alignRight();
        attempts.column("Result");
        attempts.column("Detail");
        for (DeliveryResult result : results) {
            for (RecipientOutcome outcome : result.recipients()) {
                outcomes.addRow().addContent(outcome.recipient(), outcome.status().name().toLowerCase().replace('_', ' '),
                        (outcome.replyCode() == 0 ? "" : outcome.replyCode() + " ")
                                + (outcome.enhancedCode().isEmpty() ? "" : outcome.enhancedCode() + " ") + outcome.text(),
                        result.route(), outcome.port() == 0 ? "" : outcome.host() + ":" + outcome.port(),
                        outcome.tls().map(tls -> tls.protocol() + " " + tls.cipherSuite()).orElse("none"));
            }
            for (Attempt attempt : result.attempts()) {
                attempts.addRow().addContent(result.route(), attempt.host(), attempt.port(),
                        attempt.result().name().toLowerCase().replace('_', ' '), attempt.detail());
            }
        }
        outcomes.print(out);
        out.println();
        out.println("Attempts:");
        attempts.print(out);
    }
}
