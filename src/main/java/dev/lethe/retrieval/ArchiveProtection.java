package dev.lethe.retrieval;

import dev.lethe.project.ArchiveSettings;

import java.util.Optional;

/** How an archive is encrypted and which password opens it: the project's own choice, else the instance's. */
public record ArchiveProtection(ArchiveEncryption encryption, ArchivePassword password) {

    static ArchiveProtection of(Optional<ArchiveSettings> project, ArchiveProtection instance) {
        if (project.isEmpty()) {
            return instance;
        }
        ArchiveSettings s = project.get();
        return new ArchiveProtection(s.encryption() == null ? instance.encryption() : ArchiveEncryption.parse(s.encryption()),
                s.password() == null ? instance.password() : ArchivePassword.parse(s.password()));
    }
}
