package dev.lethe.ingest;

/**
 * Where the exported profiles of a {@code lethe load} go: user profiles, or, with a group key, the
 * group profiles of that key.
 */
public record ProfileTarget(ProfileIngester users, GroupIngester groups, String groupKey) {

    public static ProfileTarget users(ProfileIngester users) {
        return new ProfileTarget(users, null, null);
    }

    public static ProfileTarget groups(GroupIngester groups, String groupKey) {
        return new ProfileTarget(null, groups, groupKey);
    }

    boolean isGroups() {
        return groupKey != null;
    }
}
