package io.throughline.attribution.api;

import io.throughline.attribution.domain.models.ModelInputException;
import io.throughline.attribution.domain.models.PathRow;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** A path table as CSV: header path, conversions, nulls, value (comma or semicolon separated, as spreadsheets save it). */
final class PathTableCsv {

    private PathTableCsv() {
    }

    static List<PathRow> read(String csv, String separator) {
        if (csv == null || csv.isBlank()) {
            throw ModelInputException.invalid("body", "is empty: a CSV with the header path, conversions, nulls, value");
        }
        if (separator == null || separator.isEmpty()) {
            throw ModelInputException.invalid("separator", "must not be empty");
        }
        char delimiter = firstLine(csv).contains(";") && !firstLine(csv).contains(",") ? ';' : ',';
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true).get();
        List<PathRow> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            if (header == null || !header.containsKey("path") || !header.containsKey("conversions")) {
                throw ModelInputException.invalid("body", "the header must name the columns path and conversions (nulls and value optional)");
            }
            for (CSVRecord record : parser) {
                if (rows.size() >= ComputeRequest.MAX_PATHS) {
                    throw ModelInputException.invalid("body", "at most " + ComputeRequest.MAX_PATHS + " rows");
                }
                String at = "row " + (record.getRecordNumber() + 1);
                String path = record.get("path");
                List<String> channels = path == null || path.isBlank() ? List.of()
                        : List.of(path.split(Pattern.quote(separator.strip().isEmpty() ? separator : separator.strip()), -1)).stream().map(String::strip).toList();
                rows.add(ComputeRequest.row(new ComputeRequest.Path(channels, number(record, "conversions", at), number(record, "nulls", at),
                        number(record, "value", at), null, null, null), at));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw ModelInputException.invalid("body", "is not a CSV path table: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw ModelInputException.invalid("body", "has no rows below the header");
        }
        return rows;
    }

    private static Double number(CSVRecord record, String column, String at) {
        if (!record.isMapped(column) || !record.isSet(column) || record.get(column).isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(record.get(column).replace(',', '.'));
        } catch (NumberFormatException e) {
            throw ModelInputException.invalid(at + "." + column, "'" + record.get(column) + "' is not a number");
        }
    }

    private static String firstLine(String csv) {
        int end = csv.indexOf('\n');
        return end < 0 ? csv : csv.substring(0, end);
    }
}
