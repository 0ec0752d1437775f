package io.throughline.calltracking.domain;

/** Why a webhook request is refused: its HTTP status, the field at fault and the reason. Never stored as a call. */
public record WebhookProblem(int status, String field, String message) {

    public static WebhookProblem unauthorized(String field, String message) {
        return new WebhookProblem(401, field, message);
    }

    public static WebhookProblem invalid(String field, String message) {
        return new WebhookProblem(400, field, message);
    }
}
