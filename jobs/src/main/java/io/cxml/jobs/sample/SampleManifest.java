package io.cxml.jobs.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code raw/interactions/_SAMPLE.json}: the spec a sample export was generated from and what it holds, so a reader
 * (a test, the pipeline) can tell which sample it is looking at and what the ingest must reconcile with.
 */
public final class SampleManifest {
    /** The manifest's file name; the leading underscore keeps Spark readers away from it. */
    public static final String FILE_NAME = "_SAMPLE.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SampleManifest() {}

    /**
     * @param manifestJson a manifest's content
     * @param spec a spec
     * @return true when the manifest was written for the same spec
     */
    public static boolean sameSpec(String manifestJson, SampleSpec spec) {
        try {
            return JSON.readTree(manifestJson).path("spec").equals(specNode(spec));
        } catch (IOException e) {
            return false;
        }
    }

    private static ObjectNode specNode(SampleSpec spec) {
        ObjectNode s = JSON.createObjectNode();
        s.put("tickets", spec.tickets());
        s.put("accounts", spec.accounts());
        s.put("days", spec.days());
        s.put("seed", spec.seed());
        s.put("start_date", spec.startDate().toString());
        s.put("end_date", spec.endDate().toString());
        s.put("bad_record_share", spec.badRecordShare());
        s.put("duplicate_share", spec.duplicateShare());
        s.put("tickets_per_task", spec.ticketsPerTask());
        s.put("tone_strength", spec.toneStrength());
        if (!spec.scenarios().isEmpty()) { // absent without scenarios: earlier manifests stay comparable
            var list = s.putArray("scenarios");
            spec.scenarios().forEach(x -> list.add(x.toString()));
        }
        return s;
    }

    static String toJson(SampleSpec spec, SampleStats stats) {
        ObjectNode root = JSON.createObjectNode();
        root.set("spec", specNode(spec));
        ObjectNode c = root.putObject("contents");
        c.put("tickets", stats.tickets);
        c.put("lines", stats.lines);
        c.put("files", stats.files);
        c.put("superseded_versions", stats.supersededVersions);
        c.put("duplicate_lines", stats.duplicateLines);
        ObjectNode bad = c.putObject("bad_lines");
        stats.badLines.forEach(bad::put);
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
