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
