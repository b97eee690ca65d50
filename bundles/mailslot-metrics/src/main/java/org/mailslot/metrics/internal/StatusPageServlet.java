package org.mailslot.metrics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /mailslot}: what {@code mailslot:status} says, as a page, for users of the {@code karaf}
 * JAAS realm with the {@code admin} role. Everything the page needs is served from here.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/mailslot",
        "osgi.http.whiteboard.servlet.pattern=/mailslot/*",
        "osgi.http.whiteboard.servlet.name=mailslot-status"})
public class StatusPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String REALM = "karaf";
    static final String ROLE = "admin";
    private static final String DATA_MARK = "{{data}}";
    private static final Map<String, String> ASSETS = Map.of(
            "/status.js", "text/javascript; charset=utf-8",
            "/status.css", "text/css; charset=utf-8");

    @Reference
    transient MailslotMetrics metrics;

    private final transient AdminLogin login = new AdminLogin(REALM, ROLE);
    private final String page = resource("page/status.html");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (login.check(request.getHeader("Authorization"))) {
            case NO_CREDENTIALS, REFUSED -> {
                response.setHeader("WWW-Authenticate", "Basic realm=\"Mailslot\", charset=\"UTF-8\"");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            case NOT_ADMIN -> {
                response.sendError(HttpServletResponse.SC_FORBIDDEN, "The status page needs the " + ROLE + " role");
                return;
            }
            case ADMITTED -> {
            }
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "connect-src 'self'; img-src 'self' data:");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        if (path.equals("/") || path.isEmpty()) {
            send(response, "text/html; charset=utf-8", page.replace(DATA_MARK, data()));
        } else if (path.equals("/status.json")) {
            send(response, "application/json", data());
        } else if (ASSETS.containsKey(path)) {
            send(response, ASSETS.get(path), resource("page" + path));
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private String data() {
        return StatusJson.of(metrics.refresh(), metrics.history());
    }

    private static void send(HttpServletResponse response, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String resource(String name) {
        try (InputStream in = StatusPageServlet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The bundle lacks its resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
