package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.audit.AuditLog;
import dev.lethe.domain.DomainException;
import dev.lethe.gdpr.SuppressionLifts;
import dev.lethe.suppression.SuppressionStore;
import dev.lethe.task.TaskStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lethe admin suppression lift}: the operator's way to lift a deletion's suppression (docs/gdpr-api.md). */
@Command(name = "suppression", mixinStandardHelpOptions = true, description = "Lift the suppression a deletion made.",
        subcommands = {SuppressionCommands.Lift.class})
final class SuppressionCommands {

    private SuppressionCommands() {
    }

    @Command(name = "lift", mixinStandardHelpOptions = true,
            description = "Accept the events of a deletion's ids again: removes the suppression a finished deletion with "
                    + "\"suppress\": true made; prints how many suppressed ids it lifted.")
    static final class Lift extends AdminAction {

        @Option(names = "--project", required = true, description = "The project id")
        long project;

        @Option(names = "--tracking-id", required = true, description = "The tracking id of the deletion")
        String trackingId;

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(project);
            SuppressionLifts lifts = new SuppressionLifts(admin.db(), new TaskStore(admin.db(), admin.clock()),
                    new SuppressionStore(admin.db(), admin.key()), new AuditLog(admin.db(), admin.key(), admin.clock()), admin.clock());
            try {
                SuppressionLifts.Lifted lifted = lifts.lift(project, trackingId, SuppressionLifts.Actor.CLI);
                return json().put("project_id", project).put("tracking_id", trackingId)
                        .put("ids_lifted", lifted.idsLifted()).put("already_lifted", !lifted.firstLift());
            } catch (DomainException e) {
                throw new AdminException(e.getMessage());
            }
        }
    }
}
