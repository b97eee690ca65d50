package org.mailslot.smtp.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Users and passwords in memory; remembers which thread checked them. */
final class FakeAuthenticator implements Authenticator {

    private final Map<String, String> users = new ConcurrentHashMap<>();
    volatile String lastThread;

    FakeAuthenticator user(String name, String password) {
        users.put(name, password);
        return this;
    }

    @Override
    public boolean authenticate(String user, char[] password) {
        lastThread = Thread.currentThread().getName();
        return new String(password).equals(users.get(user));
    }
}
