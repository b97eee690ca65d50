package org.mailslot.testing.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code nginx} serving static files over HTTPS on a loopback address, one site per server
 * name with a certificate of its own (chosen by SNI), for MTA-STS policy hosts and TLS report
 * endpoints. Files ending in {@code .txt} are {@code text/plain}, others
 * {@code application/octet-stream}. A POST is answered 200 and logged with its size in the access
 * log ({@link #requests()}).
 *
 * <pre>{@code
 * try (NginxPeer nginx = NginxPeer.builder().site("mta-sts.example.test", ca.issueServer("mta-sts.example.test"))
 *         .file("mta-sts.example.test", ".well-known/mta-sts.txt", "version: STSv1\n...").start()) {
 *     ... https://mta-sts.example.test/ at 127.0.0.21:443 ...
 * }
 * }</pre>
 *
 * <p>Runs in the foreground as a child of this JVM ({@code daemon off}), its workers as {@code nobody}
 * when started by root; {@link #close()} stops it and deletes its directory.
 */
public final class NginxPeer implements AutoCloseable {

    /** The default listening address. */
    public static final String DEFAULT_ADDRESS = "127.0.0.21";

    /** The default port: HTTPS's, as MTA-STS requires. */
    public static final int DEFAULT_PORT = 443;

    private final Builder settings;
    private final ForegroundDaemon daemon;
    private final Path dir;

    private NginxPeer(Builder settings) {
        this.settings = settings;
        this.daemon = new ForegroundDaemon("nginx");
        this.dir = daemon.dir();
    }

    /** @return a builder: 127.0.0.21:443, no site */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for an {@link NginxPeer}. */
    public static final class Builder extends ListenerSettings<Builder> {
        private final Map<String, IssuedCertificate> sites = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> files = new LinkedHashMap<>();
        private final Map<String, List<String>> receivers = new LinkedHashMap<>();

        private Builder() {
            super(DEFAULT_ADDRESS, DEFAULT_PORT, Duration.ofSeconds(10));
        }

        /**
         * @param serverName the host name clients ask for (SNI and Host)
         * @param certificate what it presents
         * @return this
         */
        public Builder site(String serverName, IssuedCertificate certificate) {
            sites.put(serverName, certificate);
            return this;
        }

        /**
         * @param serverName a site
         * @param path the path below the site's root, e.g. {@code .well-known/mta-sts.txt}
         * @param content the file's content
         * @return this
         */
        public Builder file(String serverName, String path, String content) {
            files.computeIfAbsent(serverName, s -> new LinkedHashMap<>()).put(path, content);
            return this;
        }

        /**
         * @param serverName a site
         * @param path a path of it where each POST's body is kept in a file of its own ({@link #posts()})
         * @return this
         */
        public Builder receiver(String serverName, String path) {
            receivers.computeIfAbsent(serverName, s -> new ArrayList<>()).add(path.startsWith("/") ? path : "/" + path);
            return this;
        }

        /**
         * Starts nginx and waits until it listens.
         *
         * @return the running peer
         */
        public NginxPeer start() {
            if (sites.isEmpty()) {
                throw new IllegalStateException("nginx needs at least one site");
            }
            NginxPeer peer = new NginxPeer(this);
            return Processes.startedOrClosed(peer, peer::startProcess);
        }
    }

    private void startProcess() {
        daemon.requireFree(settings.address, settings.port);
        boolean root = Processes.isRoot();
        StringBuilder servers = new StringBuilder();
        Path posts = Processes.mkdir(dir.resolve("posts"), root ? "nobody" : null);
        for (Map.Entry<String, IssuedCertificate> site : settings.sites.entrySet()) {
            String name = site.getKey();
            Path www = Processes.mkdir(dir.resolve("www").resolve(name), null);
            settings.files.getOrDefault(name, Map.of()).forEach((path, content) -> {
                Path file = www.resolve(path);
                Processes.mkdir(file.getParent(), null);
                Processes.write(file, content, "rw-r--r--");
            });
            Path chain = site.getValue().writeChainPem(dir.resolve(name + ".chain.pem"));
            Path key = site.getValue().writeKeyPem(dir.resolve(name + ".key.pem"));
            servers.append("  server {\n    listen ").append(settings.address).append(':').append(settings.port)
                    .append(" ssl;\n    server_name ").append(name).append(";\n    ssl_certificate ").append(chain)
                    .append(";\n    ssl_certificate_key ").append(key).append(";\n    root ").append(www)
                    .append(";\n    location / { if ($request_method = POST) { return 200 \"accepted\\n\"; } }\n");
            for (String path : settings.receivers.getOrDefault(name, List.of())) {
                // The body is read into a file that is kept (client_body_in_file_only), then the request
                // goes on to a server that only answers 200.
                servers.append("    location = ").append(path).append(" {\n      client_body_in_file_only on;\n")
                        .append("      client_body_temp_path ").append(posts).append(";\n      access_log ")
                        .append(postLog()).append(" posts;\n      proxy_pass http://unix:").append(posts.resolve("ok.sock"))
                        .append(":/;\n    }\n");
            }
            servers.append("  }\n");
        }
        Path temp = Processes.mkdir(dir.resolve("temp"), root ? "nobody" : null);
        String config = (root ? "user nobody nogroup;\n" : "") + "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid")
                + ";\nerror_log " + errorLog() + " info;\nevents { worker_connections 64; }\nhttp {\n"
                + "  access_log " + accessLog() + " combined;\n  client_body_temp_path " + temp.resolve("body") + ";\n"
                + "  proxy_temp_path " + temp.resolve("proxy") + ";\n  fastcgi_temp_path " + temp.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + temp.resolve("uwsgi") + ";\n  scgi_temp_path " + temp.resolve("scgi") + ";\n"
                + "  types { text/plain txt; }\n  default_type application/octet-stream;\n"
                + "  log_format posts '$request_body_file $content_type $request_method $request_uri';\n"
                + "  server {\n    listen unix:" + posts.resolve("ok.sock") + ";\n    access_log off;\n"
                + "    location / { return 200 \"stored\\n\"; }\n  }\n" + servers + "}\n";
        Path conf = Processes.write(dir.resolve("nginx.conf"), config, "rw-r--r--");
        List<String> command = new ArrayList<>(List.of(Processes.which("nginx").toString(), "-c", conf.toString(),
                "-p", dir.toString(), "-e", errorLog().toString()));
        daemon.start(command, settings.address, settings.port, settings.startTimeout, () -> Processes.tail(errorLog(), Processes.LOG_TAIL_LINES));
    }

    /** @return the listening address */
    public String address() {
        return settings.address;
    }

    /** @return the access log: one line per request, with method, path, status and size */
    public Path accessLog() {
        return dir.resolve("access.log");
    }

    /** @return the log of the {@link Builder#receiver} locations: body file, content type, method and URI */
    public Path postLog() {
        return dir.resolve("posts.log");
    }

    /**
     * A request a {@link Builder#receiver} location took.
     *
     * @param body the file its body was kept in
     * @param contentType its {@code Content-Type}
     * @param method its method
     * @param uri its URI
     */
    public record Post(Path body, String contentType, String method, String uri) {
    }

    /** @return the requests the receiver locations took so far, in order */
    public List<Post> posts() {
        String log = Processes.read(postLog());
        List<Post> posts = new ArrayList<>();
        for (String line : log.isEmpty() ? new String[0] : log.split("\n")) {
            String[] fields = line.split(" ", 4);
            if (fields.length == 4) {
                posts.add(new Post(Path.of(fields[0]), fields[1], fields[2], fields[3]));
            }
        }
        return posts;
    }

    /** @return the error log */
    public Path errorLog() {
        return dir.resolve("error.log");
    }

    /** @return the access log's lines so far */
    public List<String> requests() {
        String log = Processes.read(accessLog());
        return log.isEmpty() ? List.of() : List.of(log.split("\n"));
    }

    /** Stops nginx, waits for it and its workers to exit and deletes its directory. */
    @Override
    public void close() {
        daemon.stop(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "NginxPeer[" + settings.address + ":" + settings.port + ", " + settings.sites.keySet() + "]";
    }
}
