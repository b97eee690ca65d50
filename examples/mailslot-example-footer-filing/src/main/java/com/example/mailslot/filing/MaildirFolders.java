package com.example.mailslot.filing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import org.mailslot.api.mail.MessageSource;

/**
 * Maildir++ folders under one root, a tree per account: {@code <root>/<account>/} is the account's
 * INBOX, {@code <root>/<account>/.Lists.dev/} its folder {@code Lists.dev}. A message is written to
 * {@code tmp/}, forced to disk and renamed into {@code new/}. Its file name is derived from the
 * message's identity, so a message handed over again (retrieval is at least once) is not filed twice.
 */
public final class MaildirFolders {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9 _+=-]+");

    private final Path root;

    public MaildirFolders(Path root) {
        this.root = root;
    }

    /**
     * @throws IllegalArgumentException if the name is not {@code INBOX} or dot-separated segments of
     *     letters, digits, blank, {@code _ + = -}
     */
    public static void checkFolderName(String folder) {
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("the folder name is empty");
        }
        for (String segment : folder.split("\\.", -1)) {
            if (!SEGMENT.matcher(segment).matches() || !segment.equals(segment.strip())) {
                throw new IllegalArgumentException("bad folder name '" + folder
                        + "': use INBOX or names like Lists.dev (letters, digits, blank, _ + = -, dots between)");
            }
        }
    }

    /** @return the Maildir of a folder of an account */
    public Path maildir(String account, String folder) {
        Path box = root.resolve(fileSafe(account));
        return folder.equalsIgnoreCase(FilingRules.INBOX) ? box : box.resolve("." + folder);
    }

    /**
     * Files a message once.
     *
     * @param identity what identifies the message across hand-offs (account, server folder, id)
     * @return the file holding the message, the earlier one if it was filed before
     */
    public Path file(String account, String folder, String identity, MessageSource content) throws IOException {
        Path box = maildir(account, folder);
        Path tmp = Files.createDirectories(box.resolve("tmp"));
        Path fresh = Files.createDirectories(box.resolve("new"));
        Path cur = Files.createDirectories(box.resolve("cur"));
        String name = "example-" + digest(identity);
        Path existing = alreadyFiled(fresh, cur, name);
        if (existing != null) {
            return existing;
        }
        Path written = tmp.resolve(name);
        try (InputStream in = content.open();
                FileChannel channel = FileChannel.open(written, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
            in.transferTo(out);
            channel.force(true);
        }
        return Files.move(written, fresh.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path alreadyFiled(Path fresh, Path cur, String name) throws IOException {
        if (Files.exists(fresh.resolve(name))) {
            return fresh.resolve(name);
        }
        // A mail client that read it moved it to cur/ and added flags after a colon.
        try (DirectoryStream<Path> seen = Files.newDirectoryStream(cur, name + "*")) {
            for (Path file : seen) {
                String fileName = file.getFileName().toString();
                if (fileName.equals(name) || fileName.startsWith(name + ":")) {
                    return file;
                }
            }
        }
        return null;
    }

    private static String digest(String identity) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Account names become directory names: lower case, anything unusual %-encoded. */
    static String fileSafe(String account) {
        StringBuilder safe = new StringBuilder();
        for (byte b : account.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "@-_+=".indexOf(c) >= 0;
            safe.append(plain ? String.valueOf(c) : String.format("%%%02X", (int) c));
        }
        return safe.isEmpty() ? "%00" : safe.toString();
    }
}
