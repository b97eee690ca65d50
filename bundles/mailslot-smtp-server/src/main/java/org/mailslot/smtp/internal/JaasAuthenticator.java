package org.mailslot.smtp.internal;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks credentials against a JAAS realm, in Karaf the realms of {@code jaas:realm-list}. */
final class JaasAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JaasAuthenticator.class);

    private final String realm;

    JaasAuthenticator(String realm) {
        this.realm = realm;
    }

    @Override
    public boolean authenticate(String user, char[] password) {
        try {
            LoginContext context = new LoginContext(realm, callbacks -> {
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
            context.logout();
            return true;
        } catch (LoginException e) {
            // Never log the password; the user name helps an operator see brute force.
            LOG.debug("JAAS realm {} refused user {}: {}", realm, user, e.getMessage());
            return false;
        }
    }
}
