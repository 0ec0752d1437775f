package io.throughline.calltracking.api;

import io.throughline.calltracking.domain.CallEvent;
import io.throughline.calltracking.domain.CallNumbers;
import io.throughline.calltracking.domain.GenericWebhook;
import io.throughline.calltracking.domain.TwilioWebhook;
import io.throughline.calltracking.domain.WebhookProblem;
import io.throughline.calltracking.domain.WebhookResult;
import io.throughline.calltracking.domain.ZadarmaWebhook;
import io.throughline.calltracking.processing.CallProcessor;
import io.throughline.calltracking.store.Calls;
import io.throughline.calltracking.store.Integrations;
import io.throughline.calltracking.store.Numbers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a telephony webhook into a stored call: the integration named in the path gives the tenant and the secret,
 * the adapter of its format checks the signature and reads the event, the called number is looked up among the
 * tenant's tracked numbers, and the event is merged into its call. Refused payloads are never stored.
 */
@ApplicationScoped
public class WebhookService {

    /** What the webhook answers: stored (with the call id), acknowledged (nothing to track), or a problem. */
    public record Outcome(WebhookProblem problem, UUID callId, boolean created, String reply) {
    }

    private final Integrations integrations;
    private final Numbers numbers;
    private final Calls calls;
    private final CallProcessor processor;

    public WebhookService(Integrations integrations, Numbers numbers, Calls calls, CallProcessor processor) {
        this.integrations = integrations;
        this.numbers = numbers;
        this.calls = calls;
        this.processor = processor;
    }

    /** The integration a webhook path names, when it exists and has this format. */
    public Optional<Integrations.Integration> integration(String format, UUID id) {
        return integrations.find(id).filter(i -> i.format().equals(format));
    }

    public Outcome generic(Integrations.Integration i, String timestamp, String signature, byte[] body) {
        return store(i, GenericWebhook.read(timestamp, signature, body, i.secret(), Instant.now()));
    }

    public Outcome twilio(Integrations.Integration i, String url, Map<String, String> params, String signature) {
        return store(i, TwilioWebhook.read(url, params, signature, i.secret(), Instant.now()));
    }

    public Outcome zadarma(Integrations.Integration i, Map<String, String> params, String signature) {
        return store(i, ZadarmaWebhook.read(params, signature, i.secret(), ZoneId.of(i.timeZone()), Instant.now()));
    }

    private Outcome store(Integrations.Integration integration, WebhookResult result) {
        if (result.problem() != null) {
            return new Outcome(result.problem(), null, false, null);
        }
        if (result.event() == null) {
            return new Outcome(null, null, false, result.reply());
        }
        CallEvent e = result.event();
        String region = "RU";
        String called = CallNumbers.e164(e.calledRaw(), region);
        Optional<Numbers.Number> tracked = e.direction() == CallEvent.Direction.INBOUND && called != null
                ? numbers.byE164(called).filter(n -> n.tenantId().equals(integration.tenantId())) : Optional.empty();
        String caller = CallNumbers.e164(e.callerRaw(), region);
        Map.Entry<UUID, Boolean> stored = calls.upsert(integration.tenantId(), integration.id(), e, caller, called,
                tracked.map(Numbers.Number::id).orElse(null), tracked.map(Numbers.Number::siteKey).orElse(null));
        processor.trigger();
        return new Outcome(null, stored.getKey(), stored.getValue(), null);
    }
}
