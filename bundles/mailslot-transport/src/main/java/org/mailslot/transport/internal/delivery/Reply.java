package org.mailslot.transport.internal.delivery;

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

    /**
     * @param code the reply code, when the response cannot be parsed (0 if unknown)
     * @param response the raw response, lines separated by LF or CRLF; may be null
     * @return the parsed reply
     */
    public static Reply parse(int code, String response) {
        // By hand rather than with regular expressions: five replies per message make this the
        // hottest Java code of a busy delivery client.
        if (response == null || response.isBlank()) {
            return new Reply(code, "", "");
        }
        int parsedCode = code;
        String enhanced = "";
        StringBuilder text = new StringBuilder();
        int length = response.length();
        for (int start = 0; start < length;) {
            int end = response.indexOf('\n', start);
            end = end < 0 ? length : end;
            String line = response.substring(start, end).strip();
            start = end + 1;
            int lineCode = lineCode(line);
            if (lineCode < 0) {
                append(text, line);
                continue;
            }
            parsedCode = lineCode;
            String rest = line.length() > 4 ? line.substring(4).strip() : "";
            int enhancedEnd = enhancedEnd(rest, line.charAt(0));
            if (enhancedEnd > 0) {
                if (enhanced.isEmpty()) {
                    enhanced = rest.substring(0, enhancedEnd);
                }
                rest = rest.substring(enhancedEnd).strip();
            }
            append(text, rest);
        }
        return new Reply(parsedCode, enhanced, text.toString());
    }

    /** @return the code of a {@code ddd}, {@code ddd text} or {@code ddd-text} line, or -1 */
    private static int lineCode(String line) {
        if (line.length() < 3 || !digit(line.charAt(0)) || !digit(line.charAt(1)) || !digit(line.charAt(2))
                || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
            return -1;
        }
        return (line.charAt(0) - '0') * 100 + (line.charAt(1) - '0') * 10 + (line.charAt(2) - '0');
    }

    /**
     * @return the length of the RFC 3463 code ({@code c.ddd.ddd}, whose class c matches the reply's)
     *     that starts the text and is followed by its end or white space, or -1
     */
    private static int enhancedEnd(String rest, char replyClass) {
        if (rest.length() < 5 || rest.charAt(0) != replyClass || "245".indexOf(replyClass) < 0 || rest.charAt(1) != '.') {
            return -1;
        }
        int i = digits(rest, 2);
        if (i < 0 || i >= rest.length() || rest.charAt(i) != '.') {
            return -1;
        }
        i = digits(rest, i + 1);
        return i < 0 || i < rest.length() && !Character.isWhitespace(rest.charAt(i)) ? -1 : i;
    }

    /** @return the index after one to three digits from {@code from}, or -1 */
    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && i - from < 3 && digit(s.charAt(i))) {
            i++;
        }
        return i == from || i < s.length() && digit(s.charAt(i)) ? -1 : i;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static void append(StringBuilder text, String part) {
        if (!part.isEmpty()) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(part);
        }
    }

    /** @return whether the code is 2xx */
    boolean accepted() {
        return code >= 200 && code <= 299;
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
