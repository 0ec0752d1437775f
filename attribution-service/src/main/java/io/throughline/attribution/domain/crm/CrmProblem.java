package io.throughline.attribution.domain.crm;

/** A CRM payload that cannot be read: the field at fault and why (a 400 for webhooks, a failed fetch otherwise). */
public final class CrmProblem extends RuntimeException {

    private final String field;

    public CrmProblem(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
