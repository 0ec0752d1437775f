package io.throughline.tracking.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.commons.secrets.SecretBox;
import io.throughline.tracking.domain.HitBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the spool writes for a batch: its JSON sealed under the key ring of THROUGHLINE_TRACKING_SECRET_KEYS (AES-256-GCM
 * bound to the workspace), so the contacts of leads waiting for the store (e-mails, phones, names, form fields) are never on
 * disk in the clear. A record is {@code 'S'}, the workspace id's length (2 bytes) and the id, then the sealed JSON, which
 * names its key: after a rotation, records sealed under the retired key open while that key stays listed. Records written
 * before sealing (plain JSON) still read. Without keys, records are written plain, and the collector says so at start.
 */
final class SpoolRecords {

    private static final byte SEALED = 'S';
    /** What {@link #keyOf} answers for a record written plain. */
    static final String PLAIN = "plain";
    /**
     * The head of a record {@link #keyOf} needs: the mark, the workspace id (at most 64 characters, TenantContext) with its
     * length, and the sealed value's format, key id length and key id (at most 255).
     */
    static final int KEY_HEAD = 1 + 2 + 64 + 2 + 255;

    /** A record sealed under a key this ring does not hold: it waits (never skipped) until the key is configured again. */
    static final class KeyMissing extends IllegalStateException {
        KeyMissing(String key) {
            super("a spooled batch is sealed with key '" + key + "', which THROUGHLINE_TRACKING_SECRET_KEYS does not list; put it back until the"
                    + " spool drains", null);
        }
    }

    private final ObjectMapper json;
    private final SecretBox box;

    /** {@code box} null: no keys configured, records are written plain. */
    SpoolRecords(ObjectMapper json, SecretBox box) {
        this.json = json;
        this.box = box;
    }

    boolean sealing() {
        return box != null;
    }

    byte[] write(HitBatch batch) throws IOException {
        byte[] plain = json.writeValueAsBytes(batch);
        if (box == null) {
            return plain;
        }
        byte[] tenant = batch.tenantId().getBytes(StandardCharsets.UTF_8);
        byte[] sealed = box.seal(batch.tenantId(), plain);
        return ByteBuffer.allocate(3 + tenant.length + sealed.length).put(SEALED).putShort((short) tenant.length).put(tenant).put(sealed).array();
    }

    HitBatch read(byte[] record) throws IOException {
        if (record.length == 0 || record[0] != SEALED) {
            return json.readValue(record, HitBatch.class);
        }
        ByteBuffer in = ByteBuffer.wrap(record);
        in.get();
        byte[] tenant = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(tenant);
        byte[] sealed = Arrays.copyOfRange(record, in.position(), record.length);
        String key = SecretBox.keyId(sealed);
        if (box == null || !box.hasKey(key)) {
            throw new KeyMissing(key);
        }
        String tenantId = new String(tenant, StandardCharsets.UTF_8);
        HitBatch batch = json.readValue(box.openBytes(tenantId, sealed), HitBatch.class);
        if (!tenantId.equals(batch.tenantId())) {
            throw new IllegalStateException("a spooled batch names another workspace than it was sealed for");
        }
        return batch;
    }

    /** The id of the key a record (or its first {@link #KEY_HEAD} bytes) is sealed with, or {@link #PLAIN}. */
    static String keyOf(byte[] record) {
        if (record.length < 3 || record[0] != SEALED) {
            return PLAIN;
        }
        int tenant = Short.toUnsignedInt(ByteBuffer.wrap(record, 1, 2).getShort());
        String key = record.length > 3 + tenant ? SecretBox.keyId(Arrays.copyOfRange(record, 3 + tenant, record.length)) : null;
        return key == null ? "unreadable" : key;
    }
}
