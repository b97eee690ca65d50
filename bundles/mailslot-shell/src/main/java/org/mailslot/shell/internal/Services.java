package org.mailslot.shell.internal;

/** Commands hold their services optionally; this turns a missing one into an operator's answer. */
final class Services {

    private Services() {
    }

    static <T> T require(T service, Class<T> type, String bundle) {
        if (service == null) {
            throw new IllegalStateException("No " + type.getSimpleName() + " service is registered; is " + bundle
                    + " started? (mailslot:status shows why a component is not active)");
        }
        return service;
    }
}
