package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

class SendProtectedTest {

    /** A bundle context that answers only the question the send command asks: is the policy there? */
    static BundleContext context(boolean policyRegistered) {
        return (BundleContext) Proxy.newProxyInstance(SendProtectedTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getServiceReferences") && arguments[0] == org.mailslot.api.pipeline.MessageProcessor.class) {
                        assertThat(arguments[1]).isEqualTo("(mailslot.processor.name=crypto-policy)");
                        return policyRegistered ? List.of(reference()) : List.of();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ServiceReference<?> reference() {
        return (ServiceReference<?>) Proxy.newProxyInstance(SendProtectedTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, arguments) -> null);
    }

    private static SendCommand command(SendThroughSpoolTest.MemorySubmission spool, boolean policyRegistered) {
        SendCommand send = new SendCommand();
        send.from = "alice@example.org";
        send.to = List.of("bob@example.org");
        send.body = "secret plans";
        send.submission = spool;
        send.bundleContext = context(policyRegistered);
        return send;
    }

    @Test
    void encryptAndSignAreRequestedFromThePolicyInAHeader() {
        SendThroughSpoolTest.MemorySubmission spool = new SendThroughSpoolTest.MemorySubmission();
        SendCommand send = command(spool, true);
        send.encrypt = true;
        send.sign = true;

        QueueCommandsTest.run(send);

        assertThat(spool.messages).singleElement().satisfies(message -> assertThat(message)
                .startsWith("Mailslot-Protect: encrypt, sign\r\nDate: ").endsWith("\r\n\r\nsecret plans\r\n"));
        assertThat(spool.envelopes).singleElement().satisfies(envelope -> assertThat(envelope.authenticatedSender())
                .contains(org.mailslot.api.mail.MailAddress.parse("alice@example.org")));
    }

    @Test
    void signingAFileWhoseFromIsSomeoneElseIsRefusedAtOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        SendThroughSpoolTest.MemorySubmission spool = new SendThroughSpoolTest.MemorySubmission();
        SendCommand send = command(spool, true);
        send.body = null;
        send.sign = true;
        send.files = new ShellFiles(dir);
        send.file = "forged.eml";
        java.nio.file.Files.writeString(dir.resolve("forged.eml"),
                "From: The CEO\r\n <ceo@example.org>\r\nTo: bob@example.org\r\n\r\nwire the money\r\n").toString();

        assertThatThrownBy(send::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--sign signs as --from (alice@example.org)").hasMessageContaining("it names ceo@example.org")
                .hasMessageContaining("Nothing was sent.");
        java.nio.file.Files.writeString(dir.resolve("two.eml"),
                "From: alice@example.org, ceo@example.org\r\nTo: bob@example.org\r\n\r\nhi\r\n");
        send.file = "two.eml";
        assertThatThrownBy(send::execute).hasMessageContaining("the From field holds 2 mailboxes");
        assertThat(spool.messages).isEmpty();

        java.nio.file.Files.writeString(dir.resolve("own.eml"), "From: Alice\r\n <alice@example.org>\r\nTo: bob@example.org\r\n\r\nhi\r\n");
        send.file = "own.eml";
        QueueCommandsTest.run(send);
        assertThat(spool.messages).hasSize(1);
    }

    @Test
    void withoutEitherOptionTheMessageIsAsComposed() {
        SendThroughSpoolTest.MemorySubmission spool = new SendThroughSpoolTest.MemorySubmission();

        QueueCommandsTest.run(command(spool, false));

        assertThat(spool.messages.get(0)).startsWith("Date: ").doesNotContain("Mailslot-Protect");
    }

    @Test
    void refusesWhenThePolicyIsNotThereToReadTheRequest() {
        SendThroughSpoolTest.MemorySubmission spool = new SendThroughSpoolTest.MemorySubmission();
        SendCommand send = command(spool, false);
        send.sign = true;

        assertThatThrownBy(send::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is mailslot-crypto started? Nothing was sent.");
        assertThat(spool.messages).isEmpty();
    }

    @Test
    void refusesDirectDeliveryWhichWouldBypassThePolicy() {
        SendCommand send = command(new SendThroughSpoolTest.MemorySubmission(), true);
        send.transport = new SendThroughSpoolTest.AcceptingTransport();
        send.direct = true;
        send.encrypt = true;

        assertThatThrownBy(send::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot go with --direct");
    }
}
