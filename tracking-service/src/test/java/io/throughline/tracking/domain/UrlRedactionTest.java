package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlRedactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://shop.ru/thanks?email=olga%40mail.ru&phone=89161234567&password=x1&ok=1 | https://shop.ru/thanks?email=[redacted]&phone=[redacted]&password=[redacted]&ok=1
            https://shop.ru/?utm_source=newsletter&utm_medium=email&yclid=5 | https://shop.ru/?utm_source=newsletter&utm_medium=email&yclid=5
            https://shop.ru/reset?token=abc&user=ivan@mail.ru | https://shop.ru/reset?token=[redacted]&user=[redacted]
            https://shop.ru/pay?card_number=4111111111111111&cvc=123&sum=10 | https://shop.ru/pay?card_number=[redacted]&cvc=[redacted]&sum=10
            https://shop.ru/#/confirm?tel=%2B79161234567 | https://shop.ru/#/confirm?tel=[redacted]
            https://shop.ru/page | https://shop.ru/page
            https://shop.ru/?email= | https://shop.ru/?email=
            """)
    void removesSecretsAndContactsFromAddresses(String url, String expected) {
        assertEquals(expected, UrlRedaction.redact(url));
    }
}
