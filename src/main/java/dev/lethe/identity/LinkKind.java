package dev.lethe.identity;

/** How two ids came to be one person. */
public enum LinkKind {
    /** {@code $create_alias}: a new name for a person, or an anonymous id joining the alias. */
    ALIAS,
    /** An event carrying both {@code $device_id} and {@code $user_id}: the device joins the user. */
    DEVICE,
    /** {@code $identify}: the anonymous id ({@code $anon_distinct_id}, {@code $anon_id}) joins the identified one. */
    IDENTIFY,
    /** {@code $merge} with {@code $distinct_ids}: with the api_secret two people become one, with the token an anonymous id joins. */
    MERGE,
    /**
     * A row of an id with itself, written when {@code /engage} deletes the profile of a bare id of the generated shape:
     * the profile had made it a user id ({@code IdentityLinker}), and so does the row once the profile is gone.
     */
    PROFILE
}
