package org.mailslot.support.json;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A JSON text written front to back: objects, arrays, names and values, with the commas put in and the
 * nesting checked. Strings escape {@code <}, {@code >} and {@code &} too, so the text may be embedded in
 * an HTML script element.
 *
 * <pre>{@code
 * new JsonWriter().beginObject().field("depth", 3).name("ids").beginArray().value("a1").endArray().endObject().toString()
 * }</pre>
 *
 * <p>Not thread-safe: one writer per text.
 */
public final class JsonWriter {

    private enum Container { OBJECT, ARRAY }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Container> open = new ArrayDeque<>();
    private final Deque<Boolean> empty = new ArrayDeque<>();
    private boolean named;
    private boolean done;

    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        push(Container.OBJECT);
        return this;
    }

    public JsonWriter endObject() {
        return end(Container.OBJECT, '}');
    }

    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        push(Container.ARRAY);
        return this;
    }

    public JsonWriter endArray() {
        return end(Container.ARRAY, ']');
    }

    /** The name of the next member of the object being written. */
    public JsonWriter name(String name) {
        if (open.peek() != Container.OBJECT || named) {
            throw new IllegalStateException("a name belongs directly inside an object, before its value: " + name);
        }
        comma();
        out.append(quote(name)).append(':');
        named = true;
        return this;
    }

    /** @param value a string, or null for JSON's null */
    public JsonWriter value(String value) {
        beforeValue();
        out.append(value == null ? "null" : quote(value));
        return this;
    }

    public JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    /**
     * @return the text written
     * @throws IllegalStateException if an object or array is still open
     */
    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("JSON text not finished: " + open.size() + " still open");
        }
        return out.toString();
    }

    /** @return {@code value} as a JSON string, quotes included */
    public static String quote(String value) {
        StringBuilder s = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    private void beforeValue() {
        if (done) {
            throw new IllegalStateException("the JSON text already ended");
        }
        if (open.peek() == Container.OBJECT) {
            if (!named) {
                throw new IllegalStateException("a value inside an object needs a name first");
            }
            named = false;
        } else if (open.peek() == Container.ARRAY) {
            comma();
        }
        if (open.isEmpty()) {
            done = true;
        }
    }

    private void comma() {
        if (!empty.pop()) {
            out.append(',');
        }
        empty.push(false);
    }

    private void push(Container container) {
        done = false;
        open.push(container);
        empty.push(true);
    }

    private JsonWriter end(Container container, char close) {
        if (open.peek() != container || named) {
            throw new IllegalStateException("no " + container.name().toLowerCase() + " to end here");
        }
        open.pop();
        empty.pop();
        out.append(close);
        done = open.isEmpty();
        return this;
    }
}
