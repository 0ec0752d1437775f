package io.throughline.commons.tenant;

import io.throughline.commons.api.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The workspace of the current request, taken only from the verified token's {@code tenant} claim,
 * never from a body or query parameter.
 */
@RequestScoped
public class TenantContext {

    public static final String CLAIM = "tenant";
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final JsonWebToken token;

    public TenantContext(JsonWebToken token) {
        this.token = token;
    }

    public String tenantId() {
        Object claim = token.getClaim(CLAIM);
        String tenant = claim == null ? null : claim.toString().replace("\"", "");
        if (tenant == null || !VALID.matcher(tenant).matches()) {
            throw ProblemException.forbidden("The token carries no workspace (tenant claim)");
        }
        return tenant;
    }
}
