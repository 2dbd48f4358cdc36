package dev.lethe.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dependency rule of {@link Layers} holds for the product and the benchmark, and fails on code that breaks it. */
class LayersTest {

    private static final String ROOT = "dev.lethe";
    private static final String SAMPLE = "dev.lethe.architecture.sample";

    /** Production classes, plus the benchmark's (compiled with the tests), but no test code. */
    private static final ImportOption PRODUCT = location -> !isTestCode(location);

    private static boolean isTestCode(Location location) {
        if (ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)) {
            return false;
        }
        return !location.contains("/dev/lethe/bench/") || location.matches(java.util.regex.Pattern.compile(".*Test(\\$.*)?\\.class"));
    }

    @Test
    void the_product_follows_the_dependency_rule() {
        JavaClasses product = new ClassFileImporter().withImportOption(PRODUCT).importPackages(ROOT);
        assertThat(product.contain("dev.lethe.bench.BenchMain")).as("the benchmark is checked too").isTrue();
        assertThat(product.contain("dev.lethe.web.WebServer")).isTrue();
        for (ArchRule rule : Layers.rules(ROOT)) {
            rule.check(product);
        }
    }

    @Test
    void an_upward_import_a_cycle_http_outside_the_web_layer_and_a_dialect_outside_the_store_each_break_the_rule() {
        JavaClasses sample = new ClassFileImporter().importPackages(SAMPLE);

        EvaluationResult layering = Layers.layering(SAMPLE).evaluate(sample);
        assertThat(layering.hasViolation()).isTrue();
        assertThat(layering.getFailureReport().getDetails()).anyMatch(d -> d.contains("sample.store.StoreThatReachesUp")
                && d.contains("sample.web.SampleHandler"));

        EvaluationResult cycles = Layers.noCycles(SAMPLE).evaluate(sample);
        assertThat(cycles.hasViolation()).isTrue();

        EvaluationResult http = Layers.httpOnlyInWeb(SAMPLE).evaluate(sample);
        assertThat(http.hasViolation()).isTrue();
        assertThat(http.getFailureReport().getDetails()).anyMatch(d -> d.contains("sample.feature.ServiceThatRendersHttp"));

        EvaluationResult dialect = Layers.dialectOnlyInStore(SAMPLE).evaluate(sample);
        assertThat(dialect.getFailureReport().getDetails())
                .anyMatch(d -> d.contains("sample.feature.RepositoryOnARawConnection") && d.contains("java.sql.Connection"))
                .anyMatch(d -> d.contains("sample.feature.RepositoryOnARawConnection") && d.contains("sample.store.SampleDialect"))
                .as("the store itself may use both").allMatch(d -> d.contains("sample.feature.RepositoryOnARawConnection"));
    }

    @Test
    void code_that_follows_the_rule_passes() {
        JavaClasses clean = new ClassFileImporter().importPackages(SAMPLE + ".web");
        for (ArchRule rule : Layers.rules(SAMPLE)) {
            assertThat(rule.allowEmptyShould(true).evaluate(clean).hasViolation()).as(rule.getDescription()).isFalse();
        }
    }
}
