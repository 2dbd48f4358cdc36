package dev.lethe.identity;

/** How two ids came to be one person. */
public enum LinkKind {
    /** {@code $create_alias}: alias -> distinct_id. */
    ALIAS,
    /** An event carrying both {@code $device_id} and {@code $user_id}. */
    DEVICE,
    /** {@code $identify}: {@code $anon_distinct_id} -> {@code $identified_id}. */
    IDENTIFY
}
