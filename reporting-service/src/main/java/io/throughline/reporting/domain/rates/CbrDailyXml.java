package io.throughline.reporting.domain.rates;

import io.throughline.commons.money.Decimals;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Central Bank of Russia's daily rates ({@code XML_daily.asp}): {@code <ValCurs Date="dd.MM.yyyy">} holding one
 * {@code <Valute>} per currency with {@code CharCode}, {@code Nominal} and {@code Value} (roubles for Nominal units,
 * comma decimals; windows-1251 as the declaration says). A rate here is roubles per one unit. Entities and DTDs are
 * refused (the document comes from the network).
 */
public final class CbrDailyXml {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final MathContext WIDE = new MathContext(34, RoundingMode.HALF_EVEN);

    /** The rates of one publication, and the currencies it could not read (with why). */
    public record Result(LocalDate day, List<ExchangeRates.Rate> rates, List<String> problems) {
    }

    private CbrDailyXml() {
    }

    public static Result parse(byte[] xml) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a CBR daily rates document: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!"ValCurs".equals(root.getTagName())) {
            throw new IllegalArgumentException("not a CBR daily rates document: the root is <" + root.getTagName() + ">, not <ValCurs>");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(root.getAttribute("Date"), DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("ValCurs Date must be dd.MM.yyyy, found \"" + root.getAttribute("Date") + "\"");
        }
        List<ExchangeRates.Rate> rates = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        NodeList valutes = root.getElementsByTagName("Valute");
        for (int i = 0; i < valutes.getLength(); i++) {
            Element v = (Element) valutes.item(i);
            String code = text(v, "CharCode");
            try {
                if (code == null || !code.matches("[A-Z]{3}")) {
                    throw new IllegalArgumentException("CharCode is not a currency code");
                }
                BigDecimal nominal = decimal(text(v, "Nominal"), "Nominal");
                BigDecimal value = decimal(text(v, "Value"), "Value");
                if (nominal.signum() <= 0 || value.signum() <= 0) {
                    throw new IllegalArgumentException("Nominal and Value must be positive");
                }
                rates.add(new ExchangeRates.Rate(day, code, "RUB", value.divide(nominal, WIDE)));
            } catch (IllegalArgumentException e) {
                problems.add("Valute " + (i + 1) + (code == null ? "" : " (" + code + ")") + ": " + e.getMessage());
            }
        }
        return new Result(day, rates, problems);
    }

    private static BigDecimal decimal(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        try {
            BigDecimal value = new BigDecimal(text.strip().replace(" ", "").replace(',', '.'));
            if (!Decimals.bounded(value)) {
                throw new IllegalArgumentException(field + " " + Decimals.OUT_OF_RANGE);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " is not a number: \"" + text + "\"");
        }
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }
}
