package org.mailslot.transport.internal.mtasts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.mailslot.support.files.OwnerOnly;
import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies cached on disk, one file per domain ({@code DOMAIN.policy}: an {@code id:} and a
 * {@code fetched:} line, a blank line, the policy as served), so that a restart keeps every policy
 * until its max_age: a restart must not be a way to downgrade to no policy. Written to a temporary
 * file and moved into place, so that a crash leaves the old policy or the new one.
 */
public final class PolicyStore {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStore.class);
    private static final String SUFFIX = ".policy";

    private final Path directory;

    /**
     * @param directory where the policies are kept; created owner-only if missing
     * @throws IOException if it cannot be created
     */
    public PolicyStore(Path directory) throws IOException {
        this.directory = OwnerOnly.createDirectories(directory);
    }

    /** @return every readable policy kept; an unreadable file is logged and left out */
    public List<CachedPolicy> load() {
        List<CachedPolicy> policies = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    policies.add(read(file));
                } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
                    LOG.warn("MTA-STS: the cached policy {} cannot be read and is ignored: {}", file, ErrorText.of(e));
                }
            }
        } catch (IOException e) {
            LOG.warn("MTA-STS: the policy cache {} cannot be listed: {}", directory, ErrorText.of(e));
        }
        return policies;
    }

    private static CachedPolicy read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] parts = text.split("\r?\n\r?\n", 2);
        String[] head = parts[0].split("\r?\n");
        if (parts.length != 2 || head.length != 2 || !head[0].startsWith("id: ") || !head[1].startsWith("fetched: ")) {
            throw new IllegalArgumentException("not an id line, a fetched line, a blank line and a policy");
        }
        String name = file.getFileName().toString();
        return new CachedPolicy(name.substring(0, name.length() - SUFFIX.length()), head[0].substring(4),
                StsPolicy.parse(parts[1]), Instant.parse(head[1].substring(9)));
    }

    /**
     * @param policy the policy to keep, replacing the domain's previous one
     * @throws IOException if it could not be written
     */
    public void save(CachedPolicy policy) throws IOException {
        Path file = file(policy.domain());
        Path temporary = directory.resolve("." + policy.domain() + SUFFIX + ".tmp");
        Files.writeString(temporary, "id: " + policy.id() + "\nfetched: " + policy.fetched() + "\n\n"
                + policy.policy().text(), StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** @param domain a domain whose policy expired */
    public void remove(String domain) throws IOException {
        Files.deleteIfExists(file(domain));
    }

    private Path file(String domain) {
        if (!domain.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            throw new IllegalArgumentException("domain " + domain + " is not lower-case A-labels");
        }
        return directory.resolve(domain + SUFFIX);
    }
}
