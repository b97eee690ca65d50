package org.mailslot.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless chromium driven over its DevTools protocol with the JDK's WebSocket client:
 * one page, the events it sends kept as JSON text, commands answered by id.
 */
final class DevTools implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+),");
    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final Process chromium;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final ConcurrentHashMap<Integer, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    /** Every event chromium sent, in order. */
    final List<String> events = new CopyOnWriteArrayList<>();

    private DevTools(Process chromium, Path profile, String pageUrl) {
        this.chromium = chromium;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(pageUrl), new Listener()).join();
    }

    static DevTools start(int debuggingPort) throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=1280,1400",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=" + debuggingPort,
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        String pageUrl = MailslotTestSupport.await().until(() -> {
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + debuggingPort + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher page = Pattern.compile("\"type\":\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\":\\s*\"([^\"]+)\"|"
                    + "\"webSocketDebuggerUrl\":\\s*\"(ws://[^\"]+/page/[^\"]+)\"").matcher(list);
            return page.find() ? (page.group(1) != null ? page.group(1) : page.group(2)) : null;
        }, url -> url != null);
        return new DevTools(chromium, profile, pageUrl);
    }

    /** Sends a command and waits for its answer. */
    String call(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(id, answer);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).join();
        String text = answer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
        if (text.contains("\"error\":")) {
            throw new AssertionError(method + " failed: " + text);
        }
        return text;
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        chromium.destroy();
        if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
        }
    }

    Path log() {
        return profile.resolve("chromium.log");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                Matcher id = ID.matcher(message);
                if (id.find()) {
                    CompletableFuture<String> answer = answers.remove(Integer.parseInt(id.group(1)));
                    if (answer != null) {
                        answer.complete(message);
                    }
                } else {
                    events.add(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
