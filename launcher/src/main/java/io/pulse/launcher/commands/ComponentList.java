package io.pulse.launcher.commands;

import io.pulse.launcher.wiring.Component;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of {@code --components}: one comma-separated option value, parsed as a whole, so that an unknown name
 * fails while the command line is parsed (exit 2) with the valid names in the message.
 */
record ComponentList(Set<Component> components) {
    static final String ALL = "insights,ingest,lake-sink";

    ComponentList {
        components = Set.copyOf(components);
    }

    /** For picocli. */
    static final class Converter implements ITypeConverter<ComponentList> {
        @Override
        public ComponentList convert(String value) {
            try {
                return new ComponentList(EnumSet.copyOf(Component.parseList(value)));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
