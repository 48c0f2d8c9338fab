package io.cxml.jobs;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of every module's main code, as docs/architecture.md draws it: no package takes part in a cycle,
 * and each module imports only the modules below it (Maven already refuses module cycles; this also pins which
 * packages belong to which layer, so a class moved into the wrong module fails here, with the offending edge).
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainCode() {
        // Main code only: test classes come as folders (target/test-classes) or, in a reactor build past
        // `package`, as the modules' test jars (io.cxml.testing and the fixtures).
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.cxml");
    }

    @Test
    void noPackageTakesPartInACycle() {
        slices().matching("io.cxml.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void modulesImportOnlyDownwards() {
        // Each module (PackageGraph.MODULES, bottom up) may be used only by the modules above it.
        Architectures.LayeredArchitecture layers = layeredArchitecture()
                .consideringOnlyDependenciesInAnyPackage("io.cxml..");
        List<String> modules = new ArrayList<>(PackageGraph.MODULES.keySet());
        for (String m : modules) {
            layers = layers.layer(m).definedBy(PackageGraph.MODULES.get(m).stream().map(p -> p + "..")
                    .toArray(String[]::new));
        }
        for (int i = 0; i < modules.size(); i++) {
            List<String> above = modules.subList(i + 1, modules.size());
            layers = above.isEmpty() ? layers.whereLayer(modules.get(i)).mayNotBeAccessedByAnyLayer()
                    : layers.whereLayer(modules.get(i)).mayOnlyBeAccessedByLayers(above.toArray(new String[0]));
        }
        layers.check(classes);
    }

    /**
     * docs/architecture.md carries the module and package graphs generated from the code: this fails when they are
     * stale. {@code scripts/architecture-graph.sh} (this test with {@code -Dcxml.architecture.write=true}) rewrites
     * them.
     */
    @Test
    void theDocsDrawTheCodesGraph() throws Exception {
        Path doc = projectRoot().resolve("docs/architecture.md");
        String text = Files.readString(doc);
        String updated = PackageGraph.of(classes).writeInto(text);
        if (Boolean.getBoolean("cxml.architecture.write")) {
            Files.writeString(doc, updated);
        }
        org.assertj.core.api.Assertions.assertThat(text).as("docs/architecture.md's graphs are stale: run "
                + "scripts/architecture-graph.sh").isEqualTo(updated);
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/architecture.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Cannot find docs/architecture.md above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void benchmarksAreNotProductCode() {
        // scripts/bench-*.sh run them from the benchmarks module; the jobs jar must not carry them
        org.assertj.core.api.Assertions.assertThat(classes.stream()
                .filter(c -> c.getPackageName().startsWith("io.cxml.bench")).toList()).isEmpty();
    }
}
