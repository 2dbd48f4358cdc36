package dev.lethe.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;

import java.sql.Connection;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Lethe's dependency rule, the architecture diagram in code (docs/architecture.md draws the same):
 * <pre>
 *   entry     Lethe, cli, demo, bench
 *   app       app (wiring), config
 *   web       web (everything HTTP: Javalin, parsing requests, status codes, rendering)
 *   feature   ingest, gdpr, deletion, retrieval, query, lookup, certificate, webhook
 *   model     event, identity, profile, group, project, suppression, auth, task, ratelimit, audit
 *   store     store (the one seam for SQLite and PostgreSQL)
 *   base      domain (exceptions), json, crypto, metrics (the registry; only web serves it)
 * </pre>
 * A layer may use the layers below it, never one above; packages never form a cycle, so two
 * packages of one layer may use each other in one direction only. Every SQLite/PostgreSQL difference
 * lives in {@code store/}: no other package sees a dialect or a raw JDBC connection, only the
 * transaction handle {@code store/Tx}. The rules take the root
 * package as a parameter so {@code LayersTest} can show them failing on a sample that breaks them.
 */
final class Layers {

    private Layers() {
    }

    static List<ArchRule> rules(String root) {
        return List.of(layering(root), noCycles(root), httpOnlyInWeb(root), dialectOnlyInStore(root));
    }

    static ArchRule layering(String root) {
        return Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("entry").definedBy(root, root + ".cli..", root + ".demo..", root + ".bench..")
                .layer("app").definedBy(root + ".app..", root + ".config..")
                .layer("web").definedBy(root + ".web..")
                .layer("feature").definedBy(root + ".ingest..", root + ".gdpr..", root + ".deletion..", root + ".retrieval..",
                        root + ".query..", root + ".lookup..", root + ".certificate..", root + ".webhook..")
                .layer("model").definedBy(root + ".event..", root + ".identity..", root + ".profile..", root + ".group..", root + ".project..",
                        root + ".suppression..", root + ".auth..", root + ".task..", root + ".ratelimit..", root + ".audit..")
                .layer("store").definedBy(root + ".store..")
                .layer("base").definedBy(root + ".domain..", root + ".json..", root + ".crypto..", root + ".metrics..")
                .whereLayer("entry").mayNotBeAccessedByAnyLayer()
                .whereLayer("app").mayOnlyBeAccessedByLayers("entry")
                .whereLayer("web").mayOnlyBeAccessedByLayers("entry", "app")
                .whereLayer("feature").mayOnlyBeAccessedByLayers("entry", "app", "web")
                .whereLayer("model").mayOnlyBeAccessedByLayers("entry", "app", "web", "feature")
                .whereLayer("store").mayOnlyBeAccessedByLayers("entry", "app", "web", "feature", "model")
                .because("a layer uses the layers below it, never one above (docs/architecture.md)");
    }

    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles()
                .because("two packages may use each other in one direction only");
    }

    static ArchRule httpOnlyInWeb(String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
                .because("request parsing, status codes and rendering live in the web layer; services throw domain exceptions");
    }

    /**
     * The benchmark is the one exception: it creates and copies whole PostgreSQL databases for its
     * runs through the server's maintenance database, which no Lethe store does.
     */
    static ArchRule dialectOnlyInStore(String root) {
        DescribedPredicate<JavaClass> dialectOrConnection = JavaClass.Predicates.assignableTo(Connection.class)
                .or(JavaClass.Predicates.resideInAPackage(root + ".store..")
                        .and(JavaClass.Predicates.simpleNameEndingWith("Dialect")))
                .as("a dialect of the store or a raw java.sql.Connection");
        return noClasses().that().resideOutsideOfPackages(root + ".store..", root + ".bench..")
                .should().dependOnClassesThat(dialectOrConnection)
                .because("every SQLite/PostgreSQL difference lives in store/; domain code works through store/Tx");
    }
}
