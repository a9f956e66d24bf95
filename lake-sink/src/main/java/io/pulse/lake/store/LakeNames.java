package io.pulse.lake.store;

import java.util.Collection;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The lake's naming rules, shared by every {@link LakeStore}: temporaries are
 * {@code .<ownerTag>.<uuid>.tmp} (hidden, never {@code *.parquet}); names starting with {@code '.'} or
 * {@code '_'} are hidden from readers; final names are plain.
 */
public final class LakeNames {
    public static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Pattern OWNER_TAG = Pattern.compile("[A-Za-z0-9._+-]+");
    private static final Pattern FINAL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+=-]*");

    private LakeNames() {
    }

    public static String newTemporaryName(String ownerTag) {
        if (!OWNER_TAG.matcher(ownerTag).matches()) {
            throw new IllegalArgumentException("owner tag must be letters, digits, '.', '_', '+' or '-', got '" + ownerTag + "'");
        }
        return "." + ownerTag + "." + UUID.randomUUID() + TEMPORARY_SUFFIX;
    }

    public static void checkFinalName(String finalName) {
        if (!FINAL_NAME.matcher(finalName).matches()) {
            throw new IllegalArgumentException("final name must not be hidden and must use letters, digits, '.', '_', '+', '=' or '-', got '"
                    + finalName + "'");
        }
    }

    public static boolean isHidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    public static boolean isTemporaryOf(String name, Collection<String> ownerTags) {
        if (!name.startsWith(".") || !name.endsWith(TEMPORARY_SUFFIX)) {
            return false;
        }
        for (String tag : ownerTags) {
            // ".<tag>.<uuid>.tmp": the dot after the tag keeps partition 2 from matching partition 20.
            if (name.startsWith("." + tag + ".")) {
                return true;
            }
        }
        return false;
    }
}
