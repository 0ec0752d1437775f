package io.throughline.commons.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String OLD = SecretBox.generateKeyList("k1");
    private static final String NEW = SecretBox.generateKeyList("k2");

    @Test
    void sealedValuesOpenOnlyForTheirWorkspaceAndCarryNoPlaintext() {
        SecretBox box = new SecretBox(OLD);
        byte[] sealed = box.seal("acme", "y0_AgAAAAtoken");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("y0_AgAAAAtoken"));
        assertEquals("y0_AgAAAAtoken", box.open("acme", sealed));
        assertThrows(IllegalArgumentException.class, () -> box.open("globex", sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> box.open("acme", sealed));
    }

    @Test
    void aRotatedKeyStillOpensOldValuesAndSaysTheyNeedResealing() {
        byte[] sealed = new SecretBox(OLD).seal("acme", "secret");
        SecretBox rotated = new SecretBox(NEW + "," + OLD);
        assertEquals("secret", rotated.open("acme", sealed));
        assertTrue(rotated.needsResealing(sealed));
        assertFalse(rotated.needsResealing(rotated.seal("acme", "secret")));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(NEW).open("acme", sealed), "a dropped key opens nothing");
    }

    @Test
    void textColumnsHoldSealedValuesAndStillReadThoseWrittenPlainBefore() {
        SecretBox box = new SecretBox(OLD);
        String stored = box.sealText("acme", "whsec-0123456789abcdef");
        assertTrue(stored.startsWith(SecretBox.TEXT_PREFIX) && !stored.contains("whsec"), stored);
        assertEquals("whsec-0123456789abcdef", box.openText("acme", stored));
        assertFalse(box.needsResealingText(stored));
        assertEquals("legacy-plain-secret", box.openText("acme", "legacy-plain-secret"), "a value written before sealing reads as it is");
        assertTrue(box.needsResealingText("legacy-plain-secret"));
        SecretBox rotated = new SecretBox(NEW + "," + OLD);
        assertTrue(rotated.needsResealingText(stored));
        assertEquals("whsec-0123456789abcdef", rotated.openText("acme", stored));
        assertThrows(IllegalArgumentException.class, () -> box.openText("globex", stored));
    }

    @Test
    void bytesSealAsTextDoesAndNameTheirKey() {
        byte[] plain = "{\"email\":\"ivan@example.ru\"}".getBytes(StandardCharsets.UTF_8);
        SecretBox rotated = new SecretBox(NEW + "," + OLD);
        byte[] sealed = new SecretBox(OLD).seal("acme", plain);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("ivan@example.ru"));
        assertEquals("k1", SecretBox.keyId(sealed));
        assertTrue(rotated.hasKey("k1") && !new SecretBox(NEW).hasKey("k1"));
        assertEquals("k2", SecretBox.keyId(rotated.seal("acme", plain)), "the first key of the ring seals");
        assertEquals(new String(plain, StandardCharsets.UTF_8), new String(rotated.openBytes("acme", sealed), StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> rotated.openBytes("globex", sealed));
        assertEquals(null, SecretBox.keyId(plain), "plain JSON is not a sealed value");
    }

    @Test
    void refusesKeysThatAreNotThirtyTwoBytesOfBase64() {
        assertThrows(IllegalArgumentException.class, () -> new SecretBox("k1:c2hvcnQ="));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox("nocolon"));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(""));
    }
}
