package io.throughline.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worked vectors of shared/reference/identity-and-audiences-research.md, sections 3 and 6. */
class NormalizationVectorsTest {

    private final IdentifierRules rules = new IdentifierRules(MergeGuardSettings.DEFAULT_ROLE_MAILBOXES);

    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @CsvSource(delimiter = '|', value = {
            "8 (912) 345-67-89 | RU | +79123456789",
            "89123456789 | RU | +79123456789",
            "9123456789 | RU | +79123456789",
            "79123456789 | RU | +79123456789",
            "+7 912 345-67-89 | RU | +79123456789",
            "8-800-555-35-35 | RU | +78005553535",
            "87012345678 | RU | +77012345678",
            "8 10 44 20 7031 3000 | RU | +442070313000",
            "(650)555-1212 | US | +16505551212",
            "(800)555-0100 | US | +18005550100"})
    void phonesBecomeE164(String raw, String region, String e164) {
        assertEquals(new Normalized.Value(IdentifierType.PHONE, e164), rules.normalize(IdentifierType.PHONE, raw, region));
    }

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', value = {
            "8 (912) 345-67-8 | INVALID",
            "+7 123 456 78 90 | INVALID",
            "+7 000 000 00 00 | INVALID",
            "+7 999 999 99 99 | JUNK_PHONE",
            "+7 900 000 00 00 | JUNK_PHONE",
            "+7 912 123 45 67 | JUNK_PHONE",
            "call me maybe | INVALID"})
    void possibleButInvalidAndPlaceholderPhonesAreRefused(String raw, GuardReason reason) {
        Normalized result = rules.normalize(IdentifierType.PHONE, raw, "RU");
        assertEquals(reason, assertInstanceOf(Normalized.Refused.class, result).reason());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "John_Smith@gmail.com | john_smith@gmail.com",
            "' Cloudy.SanFrancisco+shopping@GMAIL.com ' | cloudysanfrancisco@gmail.com",
            "User.Name+NYC@Example.com | user.name+nyc@example.com",
            "j.o.h.n@googlemail.com | john@googlemail.com",
            "Ivan.Petrov+crm@Yandex.RU | ivan.petrov+crm@yandex.ru",
            "'ivan @mail.ru' | ivan@mail.ru"})
    void emailsAreNormalizedWithTheGmailRuleOnlyForGmail(String raw, String expected) {
        Normalized.Value value = assertInstanceOf(Normalized.Value.class, Emails.normalize(raw));
        assertEquals(IdentifierType.EMAIL, value.type());
        assertEquals(expected, value.value());
        assertEquals(raw.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT), value.exported(), "exported as written, lower-cased");
    }

    @Test
    void emailsAreNfcNormalized() {
        String decomposed = "vale\u0301ry@mail.ru";
        assertEquals(new Normalized.Value(IdentifierType.EMAIL, "val\u00e9ry@mail.ru"),
                rules.normalize(IdentifierType.EMAIL, decomposed, "RU"));
    }

    @ParameterizedTest(name = "{0} ({1}) is a blocked value")
    @CsvSource(delimiter = '|', value = {
            "test@test.com | EMAIL", "someone@example.com | EMAIL", "a@shop.example.org | EMAIL", "user@example.ru | EMAIL",
            "info@acme.ru | EMAIL", "NoReply@acme.ru | EMAIL", "'' | EMAIL", "null | VISITOR_ID", "undefined | USER_ID",
            "0000000000 | CRM_CONTACT_ID", "-1 | USER_ID", "anonymous | VISITOR_ID", "0-0-0 | YM_CLIENT_ID"})
    void blockedValuesNeverBecomeNodes(String raw, IdentifierType type) {
        assertEquals(GuardReason.BLOCKED_VALUE,
                assertInstanceOf(Normalized.Refused.class, rules.normalize(type, raw, "RU")).reason());
    }

    @Test
    void roleMailboxesAreConfigurable() {
        IdentifierRules none = new IdentifierRules(List.of());
        assertInstanceOf(Normalized.Value.class, none.normalize(IdentifierType.EMAIL, "info@acme.ru", "RU"));
    }

    @ParameterizedTest(name = "_ga {0} -> {1}")
    @CsvSource({"GA1.2.1234567890.1600000000, 1234567890.1600000000", "GA1.3.98765.1700000000, 98765.1700000000",
            "1234567890.1600000000, 1234567890.1600000000"})
    void gaClientIdIsTheLastTwoPartsOfTheCookie(String cookie, String clientId) {
        assertEquals(new Normalized.Value(IdentifierType.GA_CLIENT_ID, clientId), rules.normalize(IdentifierType.GA_CLIENT_ID, cookie, "RU"));
    }

    @Test
    void internalMatchKeyIsHmacSha256WithThePepper() {
        assertEquals("473f9ee281a2c1a3ab6a70188bea124bc4f3fffde6f812d46c5cc2f7d5188d88",
                MatchKeys.hmacHex("demo-pepper".getBytes(StandardCharsets.UTF_8), "+79123456789"));
    }

    @Test
    void matchKeysDifferPerWorkspaceAndEncryptionIsBoundToIt() {
        MatchKeys keys = new MatchKeys("a-master-key-of-some-length".getBytes(StandardCharsets.UTF_8));
        assertEquals(keys.matchKey("acme", "+79123456789"), keys.matchKey("acme", "+79123456789"));
        org.junit.jupiter.api.Assertions.assertNotEquals(keys.matchKey("acme", "+79123456789"), keys.matchKey("globex", "+79123456789"));
        byte[] sealed = keys.encrypt("acme", "ivan@mail.ru");
        assertEquals("ivan@mail.ru", keys.decrypt("acme", sealed));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> keys.decrypt("globex", sealed));
    }
}
