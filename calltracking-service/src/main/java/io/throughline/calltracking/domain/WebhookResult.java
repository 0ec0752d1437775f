package io.throughline.calltracking.domain;

/** What a webhook request is: a call event, a refusal, or something to acknowledge without a call (a check, an unused event). */
public record WebhookResult(CallEvent event, WebhookProblem problem, String reply) {

    public static WebhookResult of(CallEvent event) {
        return new WebhookResult(event, null, null);
    }

    public static WebhookResult refused(WebhookProblem problem) {
        return new WebhookResult(null, problem, null);
    }

    /** Acknowledged, no call: {@code reply} is the body to answer with (e.g. Zadarma's zd_echo). */
    public static WebhookResult acknowledged(String reply) {
        return new WebhookResult(null, null, reply);
    }
}
