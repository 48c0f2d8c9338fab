package io.cxml.jobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's knowledge base: articles per tenant and intent in the tenant's languages, some rewritten, some
 * archived, some intents without any; the same spec writes the same bytes; every solved ticket ends with a resolving
 * reply that depends on its intent and cites only articles the export holds for its tenant.
 */
class KnowledgeBaseSampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private static SampleSpec spec() {
        return SampleSpec.builder().setTickets(1500).setAccounts(5).setDays(20).setSeed(11)
                .setStartDate(LocalDate.parse("2026-01-01")).setBadRecordShare(0.02).setDuplicateShare(0.0)
                .setTicketsPerTask(500).build();
    }

    private List<JsonNode> lines(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".jsonl.gz")).sorted()
                    .toList()) {
                var in = Files.newInputStream(f);
                try (BufferedReader r = new BufferedReader(new InputStreamReader(f.toString().endsWith(".gz")
                        ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        try {
                            out.add(JSON.readTree(line));
                        } catch (Exception e) {
                            out.add(JSON.createObjectNode()); // a deliberately broken line
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void writesAKnowledgeBaseAndResolvingRepliesThatPointIntoIt() throws Exception {
        SampleGenerator generator = new SampleGenerator(LocalSpark.get(), StorageLayout.of(root.toString()));
        generator.generate(spec());
        List<JsonNode> kb = lines(root.resolve("raw/kb"));
        assertThat(kb).hasSize((int) generator.knowledgeBaseLines());
        Map<String, List<JsonNode>> byArticle = new HashMap<>();
        Set<String> tenantIntents = new HashSet<>();
        for (JsonNode a : kb) {
            if (a.has("article_id") && a.has("locale") && a.path("updated_at").asText().startsWith("2026")) {
                byArticle.computeIfAbsent(a.get("article_id").asText(), x -> new ArrayList<>()).add(a);
                tenantIntents.add(a.get("account_id").asText() + "/" + a.at("/_truth/intent").asText());
            }
        }
        assertThat(byArticle.size()).isGreaterThan(100);
        assertThat(byArticle.values().stream().filter(v -> v.size() > 1 && !v.get(1).get("archived").asBoolean()))
                .as("rewritten articles").isNotEmpty();
        assertThat(byArticle.values().stream().filter(v -> v.get(v.size() - 1).get("archived").asBoolean()))
                .as("archived articles").isNotEmpty();
        assertThat(kb.stream().filter(a -> !a.has("locale") || "yesterday".equals(a.path("updated_at").asText())))
                .as("broken lines for the quarantine").isNotEmpty();
        assertThat(byArticle.values().stream().map(v -> v.get(0).get("locale").asText()).distinct().count())
                .as("several locales").isGreaterThan(1);

        int solved = 0;
        int citing = 0;
        Set<String> intentsWithoutArticle = new HashSet<>();
        for (JsonNode t : lines(root.resolve("raw/interactions"))) {
            if (t.path("solved_at").isNull() || !t.has("messages")
                    || t.at("/messages/0/body").asText().isBlank()) { // open, or a deliberately broken copy
                continue;
            }
            solved++;
            JsonNode last = t.get("messages").get(t.get("messages").size() - 1);
            assertThat(last.get("author").asText()).isEqualTo("agent");
            String intent = t.at("/_truth/intent").asText();
            String reply = last.get("body").asText();
            assertThat(reply).contains(intent.replace('_', ' ').replace('/', ' '));
            int at = reply.indexOf("See help article ");
            if (at >= 0) {
                citing++;
                String id = reply.substring(at + 17).split(":")[0];
                assertThat(byArticle).containsKey(id);
                assertThat(byArticle.get(id).get(0).at("/_truth/intent").asText()).isEqualTo(intent);
            } else if (!tenantIntents.contains(t.get("account_id").asText() + "/" + intent)) {
                intentsWithoutArticle.add(intent);
            }
        }
        assertThat(solved).isGreaterThan(1000);
        assertThat(citing).isGreaterThan(solved / 3);
        assertThat(intentsWithoutArticle).as("intents a tenant has no article for").isNotEmpty();

        byte[] first = Files.readAllBytes(firstFile(root.resolve("raw/kb")));
        generator.generate(spec());
        assertThat(Files.readAllBytes(firstFile(root.resolve("raw/kb")))).as("same spec, same bytes").isEqualTo(first);
    }

    private static Path firstFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".jsonl")).sorted().findFirst().orElseThrow();
        }
    }
}
