package io.throughline.attribution.domain.audiences;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Each ad platform's published rules for a customer list, applied to contacts kept normalized (e-mails trimmed and
 * lower-cased, phones E.164 with "+"): which header, how each value is written and hashed, and the smallest list the
 * platform accepts. All phone forms derive from the one E.164 value.
 *
 * <ul>
 *   <li>Google Customer Match: e-mail lower-cased with every space removed and, for gmail.com / googlemail.com only,
 *       the dots and "+suffix" of the local part removed; phone E.164 with "+"; SHA-256 hex. Columns Email, Phone.</li>
 *   <li>Meta custom audiences: e-mail trimmed and lower-cased; phone digits only with the country code; SHA-256 hex.
 *       Schema keys EMAIL, PHONE.</li>
 *   <li>Yandex Audiences: CSV with header email,phone; phone as digits with the country code (7XXXXXXXXXX);
 *       SHA-256 hex (MD5 uploads are refused since 2025) or plain; at least 100 rows.</li>
 *   <li>VK Ads: CSV, phone 7XXXXXXXXXX, e-mail lower-cased; plain values (VK hashes them itself).</li>
 * </ul>
 */
public enum AudiencePlatform {
    GOOGLE("google", List.of("Email", "Phone"), true, false, 100),
    META("meta", List.of("EMAIL", "PHONE"), true, false, 100),
    YANDEX("yandex", List.of("email", "phone"), true, true, 100),
    VK("vk", List.of("email", "phone"), false, true, 100);

    private final String code;
    private final List<String> header;
    private final boolean hashedByDefault;
    private final boolean plainAllowed;
    private final int minimumRows;

    AudiencePlatform(String code, List<String> header, boolean hashedByDefault, boolean plainAllowed, int minimumRows) {
        this.code = code;
        this.header = header;
        this.hashedByDefault = hashedByDefault;
        this.plainAllowed = plainAllowed;
        this.minimumRows = minimumRows;
    }

    public static Optional<AudiencePlatform> of(String code) {
        for (AudiencePlatform p : values()) {
            if (p.code.equals(code)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public String code() {
        return code;
    }

    public List<String> header() {
        return header;
    }

    /** The platform's documented minimum list size (an operator may raise it). */
    public int minimumRows() {
        return minimumRows;
    }

    public boolean hashedByDefault() {
        return hashedByDefault;
    }

    /** Whether the platform takes plain (unhashed) values. */
    public boolean plainAllowed() {
        return plainAllowed;
    }

    /** An e-mail as this platform wants it before hashing, or empty when it is not an e-mail. */
    public Optional<String> email(String normalized) {
        String e = normalized.strip().toLowerCase(Locale.ROOT);
        if (!Normalizer.isNormalized(e, Normalizer.Form.NFC)) {
            e = Normalizer.normalize(e, Normalizer.Form.NFC);
        }
        int at = e.lastIndexOf('@');
        if (at <= 0 || at == e.length() - 1) {
            return Optional.empty();
        }
        if (this == GOOGLE) {
            e = WHITESPACE.matcher(e).replaceAll("");
            at = e.lastIndexOf('@');
            String local = e.substring(0, at);
            String domain = e.substring(at + 1);
            if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
                int plus = local.indexOf('+');
                local = (plus >= 0 ? local.substring(0, plus) : local).replace(".", "");
                e = local + "@" + domain;
            }
        }
        return Optional.of(e);
    }

    /** A phone (E.164 with "+") as this platform wants it before hashing. */
    public Optional<String> phone(String e164) {
        if (e164 == null || !E164.matcher(e164).matches()) {
            return Optional.empty();
        }
        return Optional.of(this == GOOGLE ? e164 : e164.substring(1));
    }

    public static String sha256(String value) {
        return HEX.formatHex(SHA256.get().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    private static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: getInstance per value costs more than the hash. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
