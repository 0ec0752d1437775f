package io.throughline.calltracking.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "pools")
public class PoolEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "site_key", nullable = false)
    public String siteKey;

    @Column(nullable = false)
    public String name;

    @Column(name = "hold_seconds", nullable = false)
    public int holdSeconds;

    @Column(name = "overflow_policy", nullable = false)
    public String overflowPolicy;

    /** The site's own numbers (E.164) that DNI replaces on its pages. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "replace_numbers", nullable = false)
    public String[] replaceNumbers = new String[0];

    /** CSS selectors of elements whose number is swapped (in addition to the marker classes the snippet knows). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public String[] selectors = new String[0];

    @Column(name = "display_mask")
    public String displayMask;

    /** Shown when the pool is exhausted under the default_number policy (E.164); null: the page keeps its own. */
    @Column(name = "default_number")
    public String defaultNumber;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
