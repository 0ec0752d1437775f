package io.throughline.reporting.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "throughline.reporting")
public interface ReportingConfig {

    /** How often the feeds of attribution, tracking and calltracking are read ("off" in tests, which call it). */
    @WithDefault("20s")
    String syncInterval();

    /** Changed records read per feed page. */
    @WithDefault("1000")
    int feedPage();

    /** A change feed is read again this far back on every round (changes stamped before a slow commit are not lost). */
    @WithDefault("PT2M")
    Duration feedOverlap();

    /** Traffic is recounted for the last days (the collector refuses hits older than 72 hours). */
    @WithDefault("4")
    int trafficDays();

    @WithDefault("5m")
    String trafficInterval();

    /** AES-256 keys integration credentials are sealed with: id:base64[,id:base64 ...], the current one first. */
    Optional<String> secretKeys();

    Imports imports();

    Connectors connectors();

    Cbr cbr();

    interface Cbr {
        /** The Central Bank of Russia's daily rates (XML_daily.asp), asked with ?date_req=dd/MM/yyyy. */
        @WithDefault("https://www.cbr.ru/scripts/XML_daily.asp")
        String url();

        /** Pull the last days' rates daily for rouble workspaces that have amounts in other currencies. */
        @WithDefault("true")
        boolean daily();

        @WithDefault("6h")
        String interval();
    }

    interface Imports {
        /** Largest upload of a spend file. */
        @WithDefault("33554432")
        int maxBytes();

        /** Most rows of one import. */
        @WithDefault("500000")
        int maxRows();

        /** Rows written per transaction step of an import (its progress moves by them). */
        @WithDefault("2000")
        int batch();
    }

    interface Connectors {
        @WithDefault("1m")
        String interval();

        /** Connector base addresses on loopback or private networks are refused unless the operator allows them. */
        @WithDefault("false")
        boolean allowPrivateNetworks();

        @WithDefault("PT30S")
        Duration timeout();

        /** Failed pulls are retried with a growing delay up to this one. */
        @WithDefault("PT6H")
        Duration maxBackoff();
    }
}
