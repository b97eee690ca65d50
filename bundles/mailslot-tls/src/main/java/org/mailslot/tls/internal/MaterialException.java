package org.mailslot.tls.internal;

/** Bad TLS material or configuration; the message is one line naming the file and the problem. */
final class MaterialException extends Exception {

    private static final long serialVersionUID = 1L;

    MaterialException(String message) {
        super(message);
    }

    MaterialException(String message, Throwable cause) {
        super(message, cause);
    }

    static MaterialException of(Object file, String problem) {
        return new MaterialException(file + ": " + problem);
    }
}
