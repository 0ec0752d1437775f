package io.throughline.attribution.domain.models;

/**
 * The input cannot be attributed by this model: a field is invalid (400) or the data cannot support the model
 * (422, e.g. no converting path for Markov). {@code field} names the offending input, e.g. "paths[3].touch_times".
 */
public final class ModelInputException extends RuntimeException {

    private final String field;
    private final boolean unprocessable;

    private ModelInputException(String field, String message, boolean unprocessable) {
        super(message, null, false, false);
        this.field = field;
        this.unprocessable = unprocessable;
    }

    public static ModelInputException invalid(String field, String message) {
        return new ModelInputException(field, message, false);
    }

    public static ModelInputException unprocessable(String field, String message) {
        return new ModelInputException(field, message, true);
    }

    public String field() {
        return field;
    }

    public boolean unprocessable() {
        return unprocessable;
    }
}
