package io.cxml.training.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.features.TrainingColumns;
import io.cxml.testing.LocalSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldOutDescriptionTest {
    private static final StructType SCHEMA = new StructType()
            .add(TrainingColumns.TEXT, DataTypes.StringType, false)
            .add(TrainingColumns.SPLIT, DataTypes.StringType, false)
            .add(TrainingColumns.EVENT_TIME, DataTypes.TimestampType, true);

    @TempDir
    java.nio.file.Path tmp;

    /** 40 training texts; 10 test texts of which {@code repeated} repeat a training text (in other case/spacing). */
    private static Dataset<Row> split(int repeated, boolean timed) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create("my card number " + i + " was declined", TrainingColumns.TRAIN,
                    timed ? new Timestamp(1_000_000L * i) : null));
        }
        rows.add(RowFactory.create("a validation text", TrainingColumns.VALIDATION, timed ? new Timestamp(50_000_000L)
                : null));
        for (int i = 0; i < 10; i++) {
            String text = i < repeated ? "  My card number " + i + "   was DECLINED " : "where is my parcel " + i;
            rows.add(RowFactory.create(text, TrainingColumns.TEST, timed ? new Timestamp(60_000_000L + i) : null));
        }
        return LocalSpark.get().createDataFrame(rows, SCHEMA);
    }

    @Test
    void countsHeldOutTextsSeenInTrainingIgnoringCaseAndSpacing() {
        HeldOutDescription d = HeldOutDescription.ofSplit(split(3, true), Optional.empty());

        assertThat(d.kind()).isEqualTo(HeldOutDescription.TIME_SPLIT);
        assertThat(d.heldOut()).isEqualTo(10);
        assertThat(d.overlapping()).isEqualTo(3);
        assertThat(d.overlapShare()).isEqualTo(0.3);
        assertThat(d.largeOverlap()).isTrue();
        assertThat(d.detail()).contains("newest tickets");
    }

    @Test
    void aLargeOverlapIsTheFirstLineAndWeakLabelsAreNamed() {
        Map<String, String> facts = new LinkedHashMap<>();
        HeldOutDescription.ofSplit(split(1, false), Optional.of("sentiment from outcomes")).addTo(facts);
        List<String> lines = HeldOutDescription.lines(facts);

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("WARNING: 10.0% of the held-out texts also appear in training");
        assertThat(lines.get(1)).startsWith("held-out set: seeded random split");
        assertThat(lines.get(2)).isEqualTo("held-out texts also in training: 1 of 10 (10.00%)");
        assertThat(lines.get(3)).isEqualTo("weak labels: sentiment from outcomes");
    }

    @Test
    void noOverlapNoWarning() {
        Map<String, String> facts = new LinkedHashMap<>();
        HeldOutDescription.ofSplit(split(0, true), Optional.empty()).addTo(facts);

        assertThat(facts).doesNotContainKey(HeldOutDescription.KEY_WARNING)
                .containsEntry(HeldOutDescription.KEY_OVERLAP, "0 of 10 (0.00%)")
                .containsEntry(HeldOutDescription.KEY_WEAK_LABELS, "none: gold labels");
        assertThat(HeldOutDescription.lines(null)).isEmpty();
    }

    @Test
    void aFileIsComparedWithTheFingerprintsTheVersionKept() {
        Dataset<Row> s = split(4, true);
        String version = tmp.resolve("models/intent/v1").toUri().toString();
        Dataset<Row> file = s.where(s.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TEST));

        HeldOutDescription unknown = HeldOutDescription.ofFile(LocalSpark.get(), "file x.csv", file, version);
        HeldOutDescription.writeTrainingFingerprints(s.where(s.col(TrainingColumns.SPLIT)
                .equalTo(TrainingColumns.TRAIN)), version);
        HeldOutDescription known = HeldOutDescription.ofFile(LocalSpark.get(), "file x.csv", file, version);

        assertThat(unknown.overlapping()).isEqualTo(-1);
        assertThat(unknown.largeOverlap()).isFalse();
        assertThat(known.kind()).isEqualTo(HeldOutDescription.FILE);
        assertThat(known.heldOut()).isEqualTo(10);
        assertThat(known.overlapping()).isEqualTo(4);
    }
}
