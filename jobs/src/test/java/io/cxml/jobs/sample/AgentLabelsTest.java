package io.cxml.jobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.contract.RawInteraction;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import io.cxml.training.data.Taxonomy;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample's contact-reason field is what agents leave behind: partial, sometimes wrong, two taxonomies. */
class AgentLabelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate START = LocalDate.parse("2026-03-01");

    @TempDir
    Path tmp;

    private static SampleSpec spec(AgentLabelSpec labels) {
        return SampleSpec.builder().setTickets(4000).setAccounts(12).setDays(14).setSeed(11).setStartDate(START)
                .setBadRecordShare(0).setDuplicateShare(0).setTicketsPerTask(1500).optLabels(labels).build();
    }

    /** Latest version of each ticket. */
    private Map<String, JsonNode> tickets(Path root, SampleSpec spec) throws Exception {
        new SampleGenerator(LocalSpark.get(), StorageLayout.of(root.toString())).generate(spec);
        Map<String, JsonNode> out = new HashMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("raw/interactions"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl.gz")).sorted().toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                        JsonNode t = JSON.readTree(line);
                        out.merge(t.get(RawInteraction.TICKET_ID).asText(), t, (a, b) -> b.get(
                                RawInteraction.UPDATED_AT).asText().compareTo(a.get(RawInteraction.UPDATED_AT)
                                .asText()) > 0 ? b : a);
                    }
                }
            }
        }
        return out;
    }

    private static Taxonomy taxonomy() throws Exception {
        Path file = LocalSpark.projectDir().resolve("conf/taxonomy/contact-reason-v2.tsv");
        return Taxonomy.parse(file.getFileName().toString(), Files.readAllLines(file));
    }

    @Test
    void theFieldCoversMostTicketsIsSometimesWrongAndUsesOldNamesBeforeTheChange() throws Exception {
        AgentLabelSpec labels = new AgentLabelSpec("contact_reason", 0.7, 0.08, null);
        SampleSpec spec = spec(labels);
        Instant change = labels.changeDay(spec).atStartOfDay(ZoneOffset.UTC).toInstant();
        Taxonomy taxonomy = taxonomy();
        int set = 0;
        int wrong = 0;
        int wrongButSimilar = 0;
        int oldNames = 0;
        int oldNamesAfterChange = 0;
        Map<String, JsonNode> tickets = tickets(tmp, spec);
        for (JsonNode t : tickets.values()) {
            JsonNode value = t.path(RawInteraction.CUSTOM_FIELDS).path("contact_reason");
            if (value.isMissingNode()) {
                continue;
            }
            set++;
            String truth = t.path(RawInteraction.TRUTH).path(RawInteraction.TRUTH_INTENT).asText();
            String label = value.asText();
            boolean old = AgentLabels.OLD_NAMES.containsValue(label) && !AgentLabels.OLD_NAMES.containsKey(label);
            if (old) {
                oldNames++;
                oldNamesAfterChange += Instant.parse(t.get(RawInteraction.CREATED_AT).asText()).isBefore(change) ? 0 : 1;
            }
            String current = old ? taxonomy.successors().get(label) : label;
            if (current == null || current.isEmpty()) { // the merged label: right when truth is one of its parts
                current = AgentLabels.OLD_NAMES.get(truth) != null && AgentLabels.OLD_NAMES.get(truth).equals(label)
                        ? truth : label;
            }
            if (!current.equals(truth)) {
                wrong++;
                wrongButSimilar += current.split("[_/]")[0].equalsIgnoreCase(truth.split("[_/]")[0]) ? 1 : 0;
            }
        }
        assertThat(tickets).hasSize(4000);
        assertThat((double) set / tickets.size()).as("coverage").isBetween(0.67, 0.73);
        assertThat((double) wrong / set).as("error rate").isBetween(0.06, 0.10);
        assertThat(wrongButSimilar).as("wrong labels that share the intent's first word").isGreaterThan(wrong / 2);
        assertThat(oldNames).as("old taxonomy names").isPositive();
        assertThat(oldNamesAfterChange).as("old names after the change").isZero();
    }

    @Test
    void theTaxonomyFileMapsEveryRenameBackAndLeavesTheMergeUnmapped() throws Exception {
        Taxonomy taxonomy = taxonomy();
        Map<String, List<String>> byOld = new HashMap<>();
        AgentLabels.OLD_NAMES.forEach((current, old) -> byOld.computeIfAbsent(old, k -> new java.util.ArrayList<>())
                .add(current));
        byOld.forEach((old, currents) -> assertThat(taxonomy.successors().get(old)).as(old)
                .isEqualTo(currents.size() == 1 ? currents.get(0) : ""));
        assertThat(taxonomy.successors()).hasSize(byOld.size());
    }

    @Test
    void coverageZeroWritesNoFieldAndTheRestOfTheSampleKeepsItsBytes() throws Exception {
        Map<String, JsonNode> none = tickets(tmp.resolve("none"), spec(new AgentLabelSpec("contact_reason", 0, 0,
                null)));
        Map<String, JsonNode> some = tickets(tmp.resolve("some"), spec(AgentLabelSpec.DEFAULT));
        assertThat(none.values()).noneMatch(t -> t.has(RawInteraction.CUSTOM_FIELDS));
        for (Map.Entry<String, JsonNode> e : none.entrySet()) {
            com.fasterxml.jackson.databind.node.ObjectNode withField = e.getValue().deepCopy();
            JsonNode other = some.get(e.getKey());
            if (other.has(RawInteraction.CUSTOM_FIELDS)) {
                withField.set(RawInteraction.CUSTOM_FIELDS, other.get(RawInteraction.CUSTOM_FIELDS));
            }
            assertThat(withField).isEqualTo(other);
        }
    }
}
