package com.example.mailslot.filing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.api.retrieval.RetrievedMessage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A retrieval handler that files each retrieved message into a Maildir++ folder chosen by the
 * first matching {@link FilingRule}. Configuration is optional: without rules everything goes to
 * the default folder.
 */
@Component(service = MessageHandler.class, configurationPid = FilingHandler.PID,
        property = MessageHandler.NAME + "=" + FilingHandler.NAME)
@Designate(ocd = FilingConfig.class)
public final class FilingHandler implements MessageHandler {

    public static final String PID = "com.example.mailslot.filing";
    /** Hand-off is recorded under this name: keep it when the bundle is updated. */
    public static final String NAME = "example-filing";
    /** Enough for any sane header section; a longer one is matched on its first part. */
    private static final int MAX_HEADER = 256 * 1024;

    private final FilingRules rules;
    private final MaildirFolders folders;

    @Activate
    public FilingHandler(FilingConfig config, Map<String, Object> properties) {
        this(rules(config, properties), root(config));
    }

    private static FilingRules rules(FilingConfig config, Map<String, Object> properties) {
        try {
            return FilingRules.from(properties, config.default_folder());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": " + e.getMessage(), e);
        }
    }

    FilingHandler(FilingRules rules, Path root) {
        this.rules = rules;
        this.folders = new MaildirFolders(root);
    }

    private static Path root(FilingConfig config) {
        if (!config.maildir_root().isBlank()) {
            return Path.of(config.maildir_root().strip());
        }
        String data = System.getProperty("karaf.data");
        if (data == null) {
            throw new IllegalArgumentException(PID + ": set maildir.root (no karaf.data outside Karaf)");
        }
        return Path.of(data, "mailslot", "filed");
    }

    @Override
    public void handle(RetrievedMessage message) throws IOException {
        String folder = rules.folderFor(header(message));
        folders.file(message.account(), folder, message.account() + "\n" + message.folder() + "\n" + message.id(),
                message.content());
    }

    /** @return the header section: the octets up to and including the first empty line */
    private static byte[] header(RetrievedMessage message) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(message.content().open())) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(4096);
            int previous3 = -1, previous2 = -1, previous1 = -1;
            for (int b = in.read(); b >= 0 && out.size() < MAX_HEADER; b = in.read()) {
                out.write(b);
                if (previous3 == '\r' && previous2 == '\n' && previous1 == '\r' && b == '\n') {
                    break;
                }
                previous3 = previous2;
                previous2 = previous1;
                previous1 = b;
            }
            return out.toByteArray();
        }
    }
}
