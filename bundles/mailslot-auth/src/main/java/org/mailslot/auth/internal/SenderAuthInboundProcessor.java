package org.mailslot.auth.internal;

import java.io.IOException;
import java.util.Optional;

import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.api.retrieval.RetrievedMessage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Retrieved mail: DKIM and DMARC of the message as fetched (before {@code crypto-open}, ranking
 * 1000, opens it), for handlers in {@link RetrievedMessage#authentication()}. There is no SMTP client,
 * so SPF is {@code none} and DMARC can pass only through DKIM. The results are for handlers to act on;
 * the message is never changed here.
 */
@Component(service = InboundProcessor.class,
        property = {InboundProcessor.NAME + "=" + SenderAuthInboundProcessor.NAME, "service.ranking:Integer=2000"})
public final class SenderAuthInboundProcessor implements InboundProcessor {

    static final String NAME = "sender-auth";

    private final SenderAuthenticator checks;

    @Activate
    public SenderAuthInboundProcessor(@Reference SenderAuthenticator checks) {
        this.checks = checks;
    }

    @Override
    public RetrievedMessage process(RetrievedMessage message) throws IOException {
        return message.withAuthentication(checks.authenticate(Optional.empty(), "", "", message.content()));
    }
}
