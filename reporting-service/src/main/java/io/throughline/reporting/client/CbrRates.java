package io.throughline.reporting.client;

import io.throughline.reporting.config.ReportingConfig;
import io.throughline.reporting.domain.rates.CbrDailyXml;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.eclipse.microprofile.faulttolerance.Retry;

/** The Central Bank of Russia's daily rates for one date, over HTTP (the address is the operator's configuration). */
@ApplicationScoped
public class CbrRates {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
    private final ReportingConfig config;

    public CbrRates(ReportingConfig config) {
        this.config = config;
    }

    @Retry(maxRetries = 2, delay = 1000, retryOn = IOException.class)
    public CbrDailyXml.Result day(LocalDate day) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.cbr().url() + "?date_req=" + DATE.format(day))).timeout(Duration.ofSeconds(20))
                .GET().build();
        try {
            HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new IOException("the Central Bank answered " + answer.statusCode());
            }
            return CbrDailyXml.parse(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
