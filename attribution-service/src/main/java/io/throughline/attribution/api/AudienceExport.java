package io.throughline.attribution.api;

import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.store.AudienceStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes members as a platform's customer-list CSV: the platform's header, then one row per e-mail / phone pair of
 * each member (a member with two e-mails and one phone gives two rows), each value normalized by the platform's
 * rules and SHA-256 hashed unless plain was asked for (where the platform takes plain values).
 */
final class AudienceExport implements AutoCloseable {

    private final AudiencePlatform platform;
    private final boolean hashed;
    private final CSVPrinter out;
    private long rows;

    AudienceExport(AudiencePlatform platform, boolean hashed, Writer writer) {
        this.platform = platform;
        this.hashed = hashed;
        try {
            this.out = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").setHeader(platform.header().toArray(String[]::new))
                    .get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(AudienceStore.Row member) {
        List<String> emails = forms(member.emails(), true);
        List<String> phones = forms(member.phones(), false);
        int n = Math.max(emails.size(), phones.size());
        try {
            for (int i = 0; i < n; i++) {
                out.printRecord(value(i < emails.size() ? emails.get(i) : null), value(i < phones.size() ? phones.get(i) : null));
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The platform's forms of the values, without repeats (most members have one of each: no collections then). */
    private List<String> forms(List<String> values, boolean email) {
        if (values.size() == 1) {
            java.util.Optional<String> one = email ? platform.email(values.get(0)) : platform.phone(values.get(0));
            return one.isPresent() ? List.of(one.get()) : List.of();
        }
        List<String> out = new java.util.ArrayList<>(values.size());
        for (String v : values) {
            java.util.Optional<String> f = email ? platform.email(v) : platform.phone(v);
            if (f.isPresent() && !out.contains(f.get())) {
                out.add(f.get());
            }
        }
        return out;
    }

    private String value(String v) {
        return v == null ? "" : hashed ? AudiencePlatform.sha256(v) : v;
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
