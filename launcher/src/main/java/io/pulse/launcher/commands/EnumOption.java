package io.pulse.launcher.commands;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * An enum-valued option, written in lower case on the command line and parsed ignoring case and surrounding blanks;
 * anything else is refused with the values it may be: {@code must be 'table', 'json' or 'bicep', got 'svg'}.
 */
class EnumOption<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
    private final Class<E> type;

    EnumOption(Class<E> type) {
        this.type = type;
    }

    /** The constant named {@code value}, ignoring case. */
    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new CommandLine.TypeConversionException("must be " + choices(type) + ", got '" + value + "'"));
    }

    @Override
    public E convert(String value) {
        return parse(type, value);
    }

    private static String choices(Class<? extends Enum<?>> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> "'" + e.name().toLowerCase(Locale.ROOT) + "'").toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
