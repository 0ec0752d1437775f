package io.throughline.commons.grpc;

import io.throughline.contracts.identity.v1.PersonVerdict;

/** identity-service's verdict on a linked person as the services pass it on: new, known, returning_customer. */
public final class PersonVerdicts {

    private PersonVerdicts() {
    }

    public static String code(PersonVerdict verdict) {
        return switch (verdict) {
            case PERSON_VERDICT_NEW -> "new";
            case PERSON_VERDICT_KNOWN -> "known";
            case PERSON_VERDICT_RETURNING_CUSTOMER -> "returning_customer";
            default -> "";
        };
    }
}
