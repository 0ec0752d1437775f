package io.throughline.calltracking.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.throughline.calltracking.domain.Signatures;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    @Test
    void twilioMatchesTheVectorPublishedWithTwilioHelperLibraries() {
        TreeMap<String, String> params = new TreeMap<>();
        params.put("CallSid", "CA1234567890ABCDE");
        params.put("Caller", "+14158675309");
        params.put("Digits", "1234");
        params.put("From", "+14158675309");
        params.put("To", "+18005551212");
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assertEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=", Signatures.twilio("12345", url, params));
        params.put("Digits", "9999");
        assertNotEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=", Signatures.twilio("12345", url, params));
    }

    @Test
    void genericIsHexHmacSha256OfTimestampDotBody() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        assertEquals("sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686", Signatures.generic("secret", "1700000000", "{\"a\":1}"));
    }

    @Test
    void zadarmaIsBase64OfTheHexHmacSha1() {
        // printf '79162104722749529011442026-11-24 10:00:00' | openssl dgst -sha1 -hmac zadarma-secret | awk '{print $2}' | tr -d '\n' | base64
        assertEquals("MDk5N2JhNWY1YjZiMzgwM2I5NjhhMDg5Yjk0MGU1OWI5M2M4OGRlOA==", Signatures.zadarma("zadarma-secret", "79162104722" + "74952901144" + "2026-11-24 10:00:00"));
    }
}
