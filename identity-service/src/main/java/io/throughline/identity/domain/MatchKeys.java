package io.throughline.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Personal data at rest: identifiers are stored as keyed HMAC-SHA256 match keys with a per-workspace key,
 * and the normalized e-mail / phone is kept only AES-GCM encrypted (for audience export). Both per-workspace
 * keys are derived from one master secret, so one secret in configuration serves every workspace.
 */
public final class MatchKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;

    private final byte[] master;

    public MatchKeys(byte[] masterKey) {
        if (masterKey.length < 16) {
            throw new IllegalArgumentException("the identity master key must have at least 16 bytes");
        }
        this.master = masterKey.clone();
    }

    /** HMAC-SHA256 of the normalized value under the workspace's key, lowercase hex. */
    public String matchKey(String tenantId, String normalizedValue) {
        return HexFormat.of().formatHex(hmac(derive("match:" + tenantId), normalizedValue.getBytes(StandardCharsets.UTF_8)));
    }

    /** The same, with an explicit key (published test vectors use one). */
    public static String hmacHex(byte[] key, String value) {
        return HexFormat.of().formatHex(hmac(key, value.getBytes(StandardCharsets.UTF_8)));
    }

    public byte[] encrypt(String tenantId, String value) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derive("encrypt:" + tenantId), "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Decrypts a value of the same workspace; fails on tampering or on another workspace's ciphertext. */
    public String decrypt(String tenantId, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(derive("encrypt:" + tenantId), "AES"),
                    new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot decrypt: wrong workspace or tampered value", e);
        }
    }

    private byte[] derive(String label) {
        return hmac(master, label.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
