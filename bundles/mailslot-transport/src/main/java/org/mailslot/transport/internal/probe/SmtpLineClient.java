package org.mailslot.transport.internal.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough SMTP to look at a server: read a (multi-line) reply, send a command. Bounded, so
 * that a hostile or broken peer cannot make the prober read forever or hold unbounded memory.
 */
final class SmtpLineClient {

    static final int MAX_LINE = 4096;
    static final int MAX_LINES = 256;

    /** A complete reply: its code and its lines without the code prefix. */
    record Reply(int code, List<String> lines) {

        String text() {
            return code + " " + String.join(" / ", lines);
        }
    }

    private final InputStream in;
    private final OutputStream out;

    SmtpLineClient(Socket socket) throws IOException {
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    Reply send(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_LINES) {
            String line = readLine();
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IOException("not an SMTP reply: " + line);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
        throw new IOException("reply longer than " + MAX_LINES + " lines");
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("reply line longer than " + MAX_LINE + " octets");
            }
            line.write(c);
            previous = c;
        }
        throw new IOException("connection closed by the server");
    }
}
