package io.cxml.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.LocalSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class LanguageDetectorTest {
    private static final LanguageOptions OPTIONS = LanguageOptions.defaults();

    @Test
    void detectsShortMessagesInConfiguredLanguages() {
        LanguageDetector detector = LanguageDetector.forOptions(OPTIONS);
        assertThat(detector.detect("Where is my parcel? It has not arrived yet.").language()).isEqualTo("en");
        assertThat(detector.detect("Wo ist mein Paket? Es ist noch nicht angekommen.").language()).isEqualTo("de");
        assertThat(detector.detect("我的包裹在哪里？还没有到。").language()).isEqualTo("zh");
        assertThat(detector.detect("荷物はどこですか？まだ届いていません。").language()).isEqualTo("ja");
    }

    @Test
    void confidenceIsAProbabilityAndBlankIsUnknown() {
        LanguageDetector detector = LanguageDetector.forOptions(OPTIONS);
        LanguageDetector.Detection d = detector.detect("Bonjour, je voudrais annuler ma commande s'il vous plaît");
        assertThat(d.language()).isEqualTo("fr");
        assertThat(d.confidence()).isBetween(0.0, 1.0).isPositive();
        assertThat(detector.detect("   ")).isEqualTo(new LanguageDetector.Detection(LanguageDetector.UNKNOWN, 0.0));
        assertThat(detector.detect(null).language()).isEqualTo(LanguageDetector.UNKNOWN);
    }

    @Test
    void oneDetectorPerLanguageSet() {
        LanguageDetector a = LanguageDetector.forOptions(LanguageOptions.of("de", "en"));
        LanguageDetector b = LanguageDetector.forOptions(LanguageOptions.of("EN", " de", "en"));
        assertThat(b).isSameAs(a);
        assertThat(a.options().languages()).containsExactly("de", "en");
        // Restricted to the configured set: French text can only come out as one of them.
        assertThat(a.detect("Bonjour, je voudrais annuler ma commande").language()).isIn("de", "en");
    }

    @Test
    void rejectsUnknownCodesWithAFix() {
        assertThatThrownBy(() -> LanguageOptions.of("en", "xx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot configure language detection: 'xx' is not an ISO 639-1 code Lingua knows. "
                        + "Use lowercase two-letter codes such as en, de, zh");
        assertThatThrownBy(() -> LanguageOptions.of("en"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot configure language detection with only [en]");
    }

    @Test
    void sparkColumnMatchesTheDetector() {
        List<String> texts = List.of("Where is my parcel?", "Dov'è il mio pacco?", "Waar is mijn pakket?", "");
        Dataset<Row> out = LocalSpark.get().createDataset(texts, Encoders.STRING()).toDF("text")
                .select(org.apache.spark.sql.functions.col("text"),
                        LanguageColumns.detect(org.apache.spark.sql.functions.col("text"), OPTIONS).as("d"));
        LanguageDetector detector = LanguageDetector.forOptions(OPTIONS);
        for (Row r : out.collectAsList()) {
            LanguageDetector.Detection expected = detector.detect(r.getString(0));
            Row d = r.getStruct(1);
            assertThat(d.getString(0)).as(r.getString(0)).isEqualTo(expected.language());
            assertThat(d.getDouble(1)).isEqualTo(expected.confidence());
        }
    }
}
