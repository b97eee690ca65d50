package org.mailslot.transport.internal.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailslot.api.transport.DeliveryStatus;

/**
 * An SMTP reply as the delivery client reports it: code, enhanced status code (RFC 3463) and
 * text, from the raw response Angus keeps ({@code getLastServerResponse()}, one or more lines).
 *
 * @param code the three-digit reply code, or 0 when no server replied
 * @param enhancedCode such as {@code 2.0.0}, or empty
 * @param text the text of every line after the codes, joined by a space
 */
public record Reply(int code, String enhancedCode, String text) {

    private static final Pattern LINE = Pattern.compile("^(\\d{3})(?:[ -](.*))?$");
    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s+(.*))?$");

    /**
     * @param code the reply code, when the response cannot be parsed (0 if unknown)
     * @param response the raw response, lines separated by LF or CRLF; may be null
     * @return the parsed reply
     */
    public static Reply parse(int code, String response) {
        if (response == null || response.isBlank()) {
            return new Reply(code, "", "");
        }
        int parsedCode = code;
        String enhanced = "";
        List<String> texts = new ArrayList<>();
        for (String line : response.split("\\r?\\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                if (!line.isBlank()) {
                    texts.add(line.strip());
                }
                continue;
            }
            parsedCode = Integer.parseInt(m.group(1));
            String rest = m.group(2) == null ? "" : m.group(2).strip();
            Matcher e = ENHANCED.matcher(rest);
            if (e.matches() && e.group(1).charAt(0) == m.group(1).charAt(0)) {
                if (enhanced.isEmpty()) {
                    enhanced = e.group(1);
                }
                rest = e.group(2) == null ? "" : e.group(2);
            }
            if (!rest.isEmpty()) {
                texts.add(rest);
            }
        }
        return new Reply(parsedCode, enhanced, String.join(" ", texts));
    }

    /** @return 2xx accepted, 4xx temporary, 5xx (and anything else) permanent */
    public DeliveryStatus status() {
        return statusOf(code);
    }

    /**
     * @param code an SMTP reply code
     * @return 2xx accepted, 4xx temporary, 5xx permanent; a code that is none of these (a
     *     broken peer) temporary, since another try may meet a sane one
     */
    public static DeliveryStatus statusOf(int code) {
        if (code >= 200 && code < 300) {
            return DeliveryStatus.ACCEPTED;
        }
        if (code >= 500 && code < 600) {
            return DeliveryStatus.PERMANENT_FAILURE;
        }
        return DeliveryStatus.TEMPORARY_FAILURE;
    }

    /** @return the reply as one line: {@code 250 2.0.0 Ok} */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder().append(code);
        if (!enhancedCode.isEmpty()) {
            line.append(' ').append(enhancedCode);
        }
        if (!text.isEmpty()) {
            line.append(' ').append(text);
        }
        return line.toString();
    }
}
