package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.audit.AuditLog;
import dev.lethe.audit.Origin;
import dev.lethe.project.ArchiveSettings;
import dev.lethe.project.PersonalProperties;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import dev.lethe.retrieval.ArchiveEncryption;
import dev.lethe.retrieval.ArchivePassword;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code lethe admin project create | list | set-archive-encryption | set-personal-properties}. */
@Command(name = "project", mixinStandardHelpOptions = true,
        description = "Create and list projects; set a project's archive encryption and personal properties.",
        subcommands = {ProjectCommands.Create.class, ProjectCommands.ListAll.class, ProjectCommands.SetArchiveEncryption.class,
                ProjectCommands.SetPersonalProperties.class})
final class ProjectCommands {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a project; prints its token and api_secret (the secret is shown only this once).")
    static final class Create extends AdminAction {

        @Option(names = "--name", required = true, description = "Project name")
        String name;

        @Option(names = "--region", defaultValue = "${env:LETHE_REGION:-US}",
                description = "US, EU or IN; fixed for good (default: the instance's region, env LETHE_REGION, else US)")
        String region;

        @Override
        ObjectNode run(AdminContext admin) {
            if (name.isBlank()) {
                throw new AdminException("the project name must not be blank");
            }
            ProjectStore.Created created = admin.projects().create(name.trim(), Region.parse(region));
            ObjectNode out = json();
            out.put("project_id", created.project().id());
            out.put("token", created.project().token());
            out.put("api_secret", created.apiSecret());
            out.put("region", created.project().region().name());
            return out;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every project (no secrets).")
    static final class ListAll extends AdminAction {

        @Override
        ObjectNode run(AdminContext admin) {
            ObjectNode out = json();
            ArrayNode projects = out.putArray("projects");
            for (Project p : admin.projects().list()) {
                projects.addObject()
                        .put("project_id", p.id())
                        .put("name", p.name())
                        .put("token", p.token())
                        .put("region", p.region().name());
            }
            return out;
        }
    }

    @Command(name = "set-archive-encryption", mixinStandardHelpOptions = true,
            description = "Choose how this project's retrieval archives are encrypted, overriding the instance's --archive-encryption "
                    + "and --archive-password; `follow` for either returns it to the instance's choice.")
    static final class SetArchiveEncryption extends AdminAction {

        @Option(names = "--project", required = true, description = "Project id")
        long projectId;

        @Option(names = "--encryption", required = true, description = "none, aes-256, zipcrypto, or follow")
        String encryption;

        @Option(names = "--password", defaultValue = "follow",
                description = "per-archive (random, shown once), api-secret (the project's api_secret, as Mixpanel's clients expect), "
                        + "or follow (default)")
        String password;

        @Override
        ObjectNode run(AdminContext admin) {
            String e = follow(encryption) ? null : checked(() -> ArchiveEncryption.parse(encryption).wireName());
            String p = follow(password) ? null : checked(() -> ArchivePassword.parse(password) == ArchivePassword.PER_ARCHIVE
                    ? "per-archive" : "api-secret");
            if (!admin.projects().setArchiveSettings(projectId, new ArchiveSettings(e, p))) {
                throw new AdminException("no project " + projectId);
            }
            ObjectNode out = json();
            out.put("project_id", projectId);
            out.put("archive_encryption", e == null ? "follow" : e);
            out.put("archive_password", p == null ? "follow" : p);
            return out;
        }

        private static boolean follow(String value) {
            return "follow".equalsIgnoreCase(value.trim());
        }

        private static String checked(java.util.function.Supplier<String> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException ex) {
                throw new AdminException(ex.getMessage());
            }
        }
    }

    @Command(name = "set-personal-properties", mixinStandardHelpOptions = true,
            description = "Name the event properties an anonymizing deletion (\"mode\": \"anonymize\") drops for this project, "
                    + "besides the defaults ($email, $phone, $name, $first_name, $last_name, $avatar, $ip, ip, $city, $region, "
                    + "$latitude, $longitude). Replaces the project's earlier list; no names keeps the defaults only.")
    static final class SetPersonalProperties extends AdminAction {

        static final String ACTION = "set-personal-properties";

        @Option(names = "--project", required = true, description = "Project id")
        long projectId;

        @Parameters(arity = "0..*", paramLabel = "PROP", description = "Property names, e.g. email company_phone")
        List<String> names = List.of();

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(projectId);
            List<String> checked;
            try {
                checked = PersonalProperties.validated(names);
            } catch (IllegalArgumentException e) {
                throw new AdminException(e.getMessage());
            }
            admin.projects().setPersonalProperties(projectId, checked);
            // why: which properties an anonymization keeps is a privacy decision; the audit log says who changed it and when.
            new AuditLog(admin.db(), admin.key(), admin.clock()).recordQuietly(new AuditLog.Event(projectId, ACTION, null, null,
                    "lethe admin", "cli", new Origin("cli", null), "set " + checked.size() + " personal properties: "
                    + String.join(", ", checked), null));
            ObjectNode out = json();
            out.put("project_id", projectId);
            out.putPOJO("personal_properties", checked);
            out.putPOJO("effective", List.copyOf(PersonalProperties.effective(checked)));
            return out;
        }
    }
}
