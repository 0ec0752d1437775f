package io.throughline.attribution.domain;

import java.text.Normalizer;
import java.util.Locale;

/**
 * CRMs send the same stage as "Оплачено", "оплачено " or "ОПЛАЧЕНО": the key a mapping is looked up by is
 * NFC-normalized, case-folded and whitespace-collapsed, while the name is kept as the CRM spells it.
 */
public final class StageNames {

    private StageNames() {
    }

    public static String key(String stageName) {
        String nfc = Normalizer.normalize(stageName, Normalizer.Form.NFC);
        return nfc.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT).replace('ё', 'е');
    }
}
