package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.api.retrieval.RetrievedMessage;

/** A handler that counts how often it was given each message, by Subject, as a user would check. */
final class RecordingHandler implements MessageHandler {

    final Map<String, AtomicInteger> bySubject = new ConcurrentHashMap<>();
    final Map<String, Long> handedAt = new ConcurrentHashMap<>();

    @Override
    public void handle(RetrievedMessage message) throws IOException {
        String subject = subject(message);
        handedAt.putIfAbsent(subject, System.nanoTime());
        bySubject.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
    }

    static String subject(RetrievedMessage message) throws IOException {
        try (InputStream in = message.content().open()) {
            String head = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.US_ASCII);
            int at = head.indexOf("Subject: ");
            return head.substring(at + 9, head.indexOf('\r', at));
        }
    }

    int distinct() {
        return bySubject.size();
    }

    long duplicates() {
        return bySubject.values().stream().filter(c -> c.get() > 1).count();
    }
}
