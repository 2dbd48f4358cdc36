package dev.lethe.cli.admin;

import dev.lethe.audit.AuditEntry;
import dev.lethe.audit.AuditLog;
import dev.lethe.cli.StoreOptions;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.StoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lethe admin audit}: the audit log as JSON lines, oldest first. Unlike the other admin
 * commands it prints one object per line, so it streams however long the log is.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Print the audit log (GDPR requests created, cancelled, downloaded) as JSON lines, oldest first.")
final class AuditCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--project", description = "Only this project's lines")
    Long project;

    @Option(names = "--after", defaultValue = "0", description = "Only lines after this line id (to continue an earlier read)")
    long after;

    @Option(names = "--distinct-id", description = "Only lines that name this id (matched by its keyed hash; needs --project)")
    String distinctId;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (distinctId != null && project == null) {
            err.println(spec.qualifiedName() + ": --distinct-id needs --project (ids are hashed per project)");
            err.flush();
            return AdminAction.FAILED;
        }
        StoreConfig config = store.toConfig();
        try (Database db = Database.open(config)) {
            AuditLog audit = new AuditLog(db, InstanceKey.loadOrCreate(config.dataDir()), Clock.systemUTC());
            String wanted = distinctId == null ? null : audit.idHash(project, distinctId);
            audit.forEach(project, after, e -> {
                if (wanted == null || e.idHashes() != null && e.idHashes().contains(wanted)) {
                    out.println(Json.write(line(e)));
                }
            });
        } catch (RuntimeException e) {
            err.println(spec.qualifiedName() + ": store failure: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            err.flush();
            return AdminAction.FAILED;
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> line(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", Instant.ofEpochMilli(e.at()).toString());
        m.put("project_id", e.projectId());
        m.put("action", e.action());
        m.put("kind", e.taskKind());
        m.put("tracking_id", e.trackingId());
        m.put("actor", e.actor());
        m.put("actor_kind", e.actorKind());
        m.put("channel", e.channel());
        m.put("ip", e.ip());
        m.put("outcome", e.outcome());
        m.put("id_count", e.idCount());
        m.put("id_hashes", e.idHashes());
        return m;
    }
}
