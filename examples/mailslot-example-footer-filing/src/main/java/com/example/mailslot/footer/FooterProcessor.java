package com.example.mailslot.footer;

import java.io.IOException;
import java.io.InputStream;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.ProcessingResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The outbound pipeline stage that adds the configured footer (see {@link Footer} for where it goes
 * and what is never touched). Configuration is optional: without {@code etc/com.example.mailslot.footer.cfg}
 * the default text is used.
 */
@Component(service = MessageProcessor.class, configurationPid = FooterProcessor.PID,
        property = {MessageProcessor.NAME + "=example-footer", "service.ranking:Integer=100"})
@Designate(ocd = FooterConfig.class)
public final class FooterProcessor implements MessageProcessor {

    public static final String PID = "com.example.mailslot.footer";

    private static final int MAX_SIZE_LIMIT = 1 << 30;

    private final Footer footer;
    private final int maxSize;

    @Activate
    public FooterProcessor(FooterConfig config) {
        if (config.text() == null || config.text().isBlank()) {
            throw new IllegalArgumentException(PID + ": text must not be blank");
        }
        if (config.max_size() <= 0 || config.max_size() > MAX_SIZE_LIMIT) {
            throw new IllegalArgumentException(PID + ": max.size must be between 1 and " + MAX_SIZE_LIMIT + " octets, not "
                    + config.max_size());
        }
        this.footer = new Footer(config.text());
        this.maxSize = config.max_size();
    }

    @Override
    public ProcessingResult process(Envelope envelope, MessageSource message) throws IOException {
        byte[] octets;
        try (InputStream in = message.open()) {
            octets = in.readNBytes(maxSize + 1);
        }
        if (octets.length > maxSize) {
            return ProcessingResult.proceed();
        }
        return footer.addTo(octets)
                .map(changed -> ProcessingResult.proceed(null, MessageSource.of(changed)))
                .orElse(ProcessingResult.proceed());
    }
}
