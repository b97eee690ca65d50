package org.mailslot.openpgp.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPKeyRing;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.mailslot.api.crypto.CryptoException;

/** Reads OpenPGP key rings from the bytes of a file: binary, or one or more ASCII armor blocks. */
final class KeyMaterial {

    private static final String ARMOR_BEGIN = "-----BEGIN PGP ";

    private KeyMaterial() {
    }

    static boolean recognizes(byte[] material) {
        if (material == null || material.length == 0) {
            return false;
        }
        String head = new String(material, 0, Math.min(material.length, 4096), StandardCharsets.ISO_8859_1);
        if (head.contains(ARMOR_BEGIN + "PUBLIC KEY BLOCK-----") || head.contains(ARMOR_BEGIN + "PRIVATE KEY BLOCK-----")) {
            return true;
        }
        int first = material[0] & 0xff;
        if ((first & 0x80) == 0) {
            return false;
        }
        int tag = (first & 0x40) != 0 ? first & 0x3f : (first >> 2) & 0x0f;
        return tag == 5 || tag == 6 || tag == 10;
    }

    /**
     * @return the key rings, in the order given
     * @throws CryptoException MALFORMED if anything else is there or nothing is
     */
    static List<PGPKeyRing> read(byte[] material) throws CryptoException {
        if (material == null || material.length == 0) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "no key material given");
        }
        List<PGPKeyRing> rings = new ArrayList<>();
        String text = new String(material, StandardCharsets.ISO_8859_1);
        try {
            if (text.contains(ARMOR_BEGIN)) {
                int at = text.indexOf(ARMOR_BEGIN);
                while (at >= 0) {
                    int next = text.indexOf(ARMOR_BEGIN, text.indexOf("-----END PGP ", at) + 1);
                    byte[] block = text.substring(at, next < 0 ? text.length() : next).getBytes(StandardCharsets.ISO_8859_1);
                    readBinary(new ArmoredInputStream(new ByteArrayInputStream(block)), rings);
                    at = next;
                }
            } else {
                readBinary(new ByteArrayInputStream(material), rings);
            }
        } catch (IOException | RuntimeException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "not OpenPGP key material: " + e.getMessage(), e);
        }
        if (rings.isEmpty()) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "no OpenPGP key found in the material");
        }
        return rings;
    }

    private static void readBinary(InputStream in, List<PGPKeyRing> rings) throws IOException, CryptoException {
        BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
        Object object;
        while ((object = factory.nextObject()) != null) {
            if (object instanceof PGPPublicKeyRing || object instanceof PGPSecretKeyRing) {
                rings.add((PGPKeyRing) object);
            } else if (!(object instanceof PGPMarker)) {
                throw new CryptoException(CryptoException.Reason.MALFORMED, "expected OpenPGP keys, found "
                        + object.getClass().getSimpleName());
            }
        }
    }
}
