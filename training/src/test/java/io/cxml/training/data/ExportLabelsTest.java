package io.cxml.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.LocalSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** Labels from what the help desk exports: a field or a tag, through the taxonomy, measured against the truth. */
class ExportLabelsTest {
    private static final Taxonomy V2 = Taxonomy.parse("v2.tsv", List.of("# old<TAB>new", "lost_card\tlost_or_stolen_card",
            "card_delivery\t", ""));

    /** Curated-shaped rows: custom fields, tags, who wrote, the hidden truth. */
    private static Dataset<Row> tickets(SparkSession spark) {
        return spark.sql("SELECT * FROM VALUES "
                + "(map('contact_reason', 'lost_card'), array('reason_lost_card'), 'agent', 'lost_or_stolen_card'), "
                + "(map('contact_reason', 'card_delivery'), array('email'), 'agent', 'card_arrival'), "
                + "(map('contact_reason', 'change_pin'), array('reason_change_pin', 'vip'), 'customer', 'change_pin'), "
                + "(map('contact_reason', ' '), array(), 'agent', 'change_pin'), "
                + "(map('form', 'cards'), array(), 'agent', 'card_arrival'), "
                + "(map('contact_reason', 'pin_blocked'), array('reason_pin_blocked'), 'agent', 'change_pin'), "
                + "(CAST(NULL AS MAP<STRING, STRING>), array('reason_age_limit'), 'agent', NULL) "
                + "AS t(custom_fields, tags, author, true_intent)")
                .withColumn("messages", functions.array(functions.struct(functions.col("author").as("author"))));
    }

    private static List<String> labels(ExportLabels source) {
        return tickets(LocalSpark.get()).select(source.label()).collectAsList().stream()
                .map(r -> r.isNullAt(0) ? null : r.getString(0)).toList();
    }

    @Test
    void aFieldThroughTheTaxonomyRenamesOldLabelsAndDropsRetiredOnes() {
        ExportLabels field = new ExportLabels(ExportLabels.Kind.FIELD, "contact_reason", V2, false);
        assertThat(labels(field)).containsExactly("lost_or_stolen_card", null, "change_pin", null, null,
                "pin_blocked", null);

        LabelStats stats = field.measure(tickets(LocalSpark.get()));
        assertThat(stats).isEqualTo(new LabelStats(field.describe(), 7, 4, 1, 3, 3, 2));
        assertThat(stats.facts()).containsEntry(LabelStats.KEY_COVERAGE, "42.9% (3 of 7 rows)")
                .containsEntry(LabelStats.KEY_UNMAPPED, "1")
                .containsEntry(LabelStats.KEY_TRUTH, "66.7% of 3 labelled rows (label error rate 33.3%)");
        assertThat(field.describe()).isEqualTo("custom field contact_reason, taxonomy v2.tsv (2 old labels)");
    }

    @Test
    void aTagPrefixAndTheAgentReplyRule() {
        ExportLabels tag = new ExportLabels(ExportLabels.Kind.TAG, "reason_", Taxonomy.NONE, false);
        assertThat(labels(tag)).containsExactly("lost_card", null, "change_pin", null, null, "pin_blocked",
                "age_limit");
        ExportLabels answered = new ExportLabels(ExportLabels.Kind.TAG, "reason_", Taxonomy.NONE, true);
        assertThat(labels(answered)).containsExactly("lost_card", null, null, null, null, "pin_blocked",
                "age_limit");
        assertThat(answered.describe()).isEqualTo("tag prefix reason_, no taxonomy mapping, agent-answered tickets "
                + "only");
    }

    @Test
    void badSettingsSayWhatToFix() {
        assertThatThrownBy(() -> ExportLabels.Kind.parse("column")).hasMessage("Cannot use label source 'column': "
                + "use field (a custom field or the ticket form) or tag (a tag prefix)");
        assertThatThrownBy(() -> new ExportLabels(ExportLabels.Kind.TAG, " ", Taxonomy.NONE, false))
                .hasMessage("Cannot read labels from the export: no tag prefix is set");
        assertThatThrownBy(() -> Taxonomy.parse("t.tsv", List.of("a\tb", "a b")))
                .hasMessage("Cannot read taxonomy t.tsv line 2: expected old<TAB>new (or old<TAB> for a retired "
                        + "label), got 'a b'");
        assertThatThrownBy(() -> Taxonomy.parse("t.tsv", List.of("a\tb", "a\tc")))
                .hasMessage("Cannot read taxonomy t.tsv line 2: a is mapped twice");
    }
}
