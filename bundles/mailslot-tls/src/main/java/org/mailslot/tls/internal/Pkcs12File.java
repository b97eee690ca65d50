package org.mailslot.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;

import org.mailslot.support.text.ErrorText;

/** A PKCS#12 file as a key store, for the identity and for trust; problems name the file. */
final class Pkcs12File {

    private Pkcs12File() {
    }

    /** @param password the store's password; null when none is configured */
    static KeyStore load(Path file, char[] password, FileStamps stamps) throws MaterialException {
        byte[] bytes = stamps.read(file);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw MaterialException.of(file, "wrong password, or a damaged PKCS#12 file");
            }
            throw MaterialException.of(file, "not a readable PKCS#12 file (" + ErrorText.of(e) + ")");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw MaterialException.of(file, "not a readable PKCS#12 file (" + ErrorText.of(e) + ")");
        }
    }
}
