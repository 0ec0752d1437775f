package io.throughline.commons.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Integration secrets at rest (API tokens, webhook secrets): AES-256-GCM under a key from the environment, bound to
 * the workspace (its id is the associated data, so one workspace's ciphertext never opens as another's). Keys carry
 * ids for rotation: values are sealed with the current key and name it; older keys stay listed until every value has
 * been sealed again ({@link #needsResealing}). Keys are given as {@code id:base64,id:base64}, the current one first.
 */
public final class SecretBox {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;
    private static final byte FORMAT = 1;

    private final Map<String, byte[]> keys = new LinkedHashMap<>();
    private final String current;

    public SecretBox(String keyList) {
        if (keyList == null || keyList.isBlank()) {
            throw new IllegalArgumentException("no secret keys configured (id:base64 of 32 bytes)");
        }
        String first = null;
        for (String entry : keyList.split(",")) {
            String[] parts = entry.strip().split(":", 2);
            if (parts.length != 2 || !parts[0].matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("a secret key must be id:base64 (id of letters, digits, _ or -)");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(parts[1].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secret key " + parts[0] + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("secret key " + parts[0] + " must be 32 bytes (AES-256), found " + key.length);
            }
            keys.put(parts[0], key);
            first = first == null ? parts[0] : first;
        }
        this.current = first;
    }

    /** A fresh random key in the configuration format, for development stacks. */
    public static String generateKeyList(String id) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    public byte[] seal(String tenantId, String plaintext) {
        return seal(tenantId, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #seal(String, String)} for bytes (a spooled record, say). */
    public byte[] seal(String tenantId, byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(current), "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] id = current.getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.allocate(2 + id.length + NONCE + sealed.length).put(FORMAT).put((byte) id.length).put(id).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext of a value sealed for the workspace; fails on tampering, another workspace, or an unknown key. */
    public String open(String tenantId, byte[] sealed) {
        return new String(openBytes(tenantId, sealed), StandardCharsets.UTF_8);
    }

    /** {@link #open} for bytes sealed with {@link #seal(String, byte[])}. */
    public byte[] openBytes(String tenantId, byte[] sealed) {
        try {
            ByteBuffer in = ByteBuffer.wrap(sealed);
            if (in.get() != FORMAT) {
                throw new IllegalArgumentException("not a sealed secret");
            }
            byte[] id = new byte[in.get()];
            in.get(id);
            byte[] key = keys.get(new String(id, StandardCharsets.US_ASCII));
            if (key == null) {
                throw new IllegalArgumentException("sealed with key " + new String(id, StandardCharsets.US_ASCII) + ", which is not configured");
            }
            byte[] nonce = new byte[NONCE];
            in.get(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, in.position(), in.remaining());
        } catch (GeneralSecurityException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("cannot open the secret: wrong workspace, unknown key or tampered value");
        }
    }

    /** The id of the key a value was sealed with, or null when it is not a sealed value. */
    public static String keyId(byte[] sealed) {
        if (sealed.length < 2 || sealed[0] != FORMAT || sealed.length < 2 + sealed[1]) {
            return null;
        }
        return new String(sealed, 2, sealed[1], StandardCharsets.US_ASCII);
    }

    /** Whether this ring holds the key a value was sealed with. */
    public boolean hasKey(String keyId) {
        return keyId != null && keys.containsKey(keyId);
    }

    /** Whether the value was sealed with another key than the current one (rotate it by sealing it again). */
    public boolean needsResealing(byte[] sealed) {
        return !current.equals(keyId(sealed));
    }

    /** The prefix of a sealed value kept in a text column. */
    public static final String TEXT_PREFIX = "sealed:";

    /** Whether a text column's value is sealed (opening it needs the key ring) rather than stored plain before sealing. */
    public static boolean sealedText(String stored) {
        return stored != null && stored.startsWith(TEXT_PREFIX);
    }

    /** {@link #seal} for a text column: {@code sealed:} and the sealed bytes in base64. */
    public String sealText(String tenantId, String plaintext) {
        return TEXT_PREFIX + Base64.getEncoder().encodeToString(seal(tenantId, plaintext));
    }

    /**
     * The plaintext of a text column's value: opened when sealed, as stored when written before secrets were sealed
     * (such a value is sealed by the next {@link #needsResealingText} pass).
     */
    public String openText(String tenantId, String stored) {
        if (!sealedText(stored)) {
            return stored;
        }
        return open(tenantId, Base64.getDecoder().decode(stored.substring(TEXT_PREFIX.length())));
    }

    /** Whether a text column's value is still plain, or sealed with another key than the current one. */
    public boolean needsResealingText(String stored) {
        if (stored == null) {
            return false;
        }
        if (!stored.startsWith(TEXT_PREFIX)) {
            return true;
        }
        try {
            return needsResealing(Base64.getDecoder().decode(stored.substring(TEXT_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
