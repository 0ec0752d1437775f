package io.throughline.commons.id;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/** Time-ordered UUID v7 ids, as api-conventions.md prefers: index-friendly and sortable by creation. */
public final class Ids {

    private static final TimeBasedEpochGenerator V7 = Generators.timeBasedEpochGenerator();

    private Ids() {
    }

    public static UUID newId() {
        return V7.generate();
    }
}
