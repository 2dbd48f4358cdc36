package dev.lethe.identity;

import java.util.regex.Pattern;

/**
 * Which ids look anonymous: the ones SDKs generate before anyone logs in. Only such an id may join
 * a person through a public-token claim; anything else is taken for a user id (Mixpanel's simplified
 * ID merge reads a distinct_id without the {@code $device:} prefix as a {@code $user_id}).
 */
public final class AnonymousIds {

    /** The prefix the SDKs put before a device id to make an anonymous distinct_id. */
    public static final String DEVICE_PREFIX = "$device:";

    /**
     * A UUID, or the older mixpanel-js id (five dash-separated hex groups): what Mixpanel's
     * original ID merge accepts as {@code $anon_id} ("Mixpanel and Segment anonymous IDs pass").
     */
    private static final Pattern GENERATED = Pattern.compile("[0-9a-fA-F]+(-[0-9a-fA-F]+){4}");
    private static final int MIN_HEX_DIGITS = 32;

    private AnonymousIds() {
    }

    /** {@code $device:<id>}, or an id of the generated shape. */
    public static boolean looksAnonymous(String id) {
        return id.startsWith(DEVICE_PREFIX) || generated(id);
    }

    /** An id of the generated shape without the {@code $device:} prefix: an old SDK's anonymous id, or an app's UUID user id. */
    public static boolean bareGenerated(String id) {
        return !id.startsWith(DEVICE_PREFIX) && generated(id);
    }

    /** The anonymous distinct_id of a device id. */
    public static String ofDevice(String deviceId) {
        return deviceId.startsWith(DEVICE_PREFIX) ? deviceId : DEVICE_PREFIX + deviceId;
    }

    static boolean generated(String id) {
        if (!GENERATED.matcher(id).matches()) {
            return false;
        }
        int hex = 0;
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) != '-') {
                hex++;
            }
        }
        return hex >= MIN_HEX_DIGITS;
    }
}
