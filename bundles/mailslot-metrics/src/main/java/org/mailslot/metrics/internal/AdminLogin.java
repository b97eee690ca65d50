package org.mailslot.metrics.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * HTTP Basic credentials checked against a Karaf JAAS realm, admitted only with a role. Anything
 * missing, malformed or refused is a refusal.
 */
final class AdminLogin {

    enum Outcome {
        /** No or unreadable credentials: 401 with a challenge. */
        NO_CREDENTIALS,
        /** The realm refused the user name and password: 401. */
        REFUSED,
        /** Logged in, without the role: 403. */
        NOT_ADMIN,
        ADMITTED
    }

    private final String realm;
    private final String role;

    AdminLogin(String realm, String role) {
        this.realm = realm;
        this.role = role;
    }

    Outcome check(String authorization) {
        Optional<String[]> credentials = basic(authorization);
        if (credentials.isEmpty()) {
            return Outcome.NO_CREDENTIALS;
        }
        String user = credentials.get()[0];
        char[] password = credentials.get()[1].toCharArray();
        Subject subject = new Subject();
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback pass) {
                        pass.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            context.login();
            boolean admin = subject.getPrincipals(RolePrincipal.class).stream().anyMatch(p -> p.getName().equals(role));
            context.logout();
            return admin ? Outcome.ADMITTED : Outcome.NOT_ADMIN;
        } catch (LoginException e) {
            return Outcome.REFUSED;
        }
    }

    private static Optional<String[]> basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
