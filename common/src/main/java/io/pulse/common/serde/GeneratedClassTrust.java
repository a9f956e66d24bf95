package io.pulse.common.serde;

import org.apache.avro.generic.GenericFixed;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro (since 1.12.1) loads only trusted classes by the names in a schema. Pulse trusts exactly the
 * classes generated from its own schemas ({@value #GENERATED_PACKAGE} and below: records, enums, fixed),
 * in addition to whatever the process trusted already. Installed once, by the first specific
 * deserializer; modules that read specific records without one call {@link #install()}.
 */
public final class GeneratedClassTrust {
    /** The package the Avro classes are generated into (schemas/avro namespaces). */
    public static final String GENERATED_PACKAGE = "io.pulse.avro";

    private static boolean installed;

    private GeneratedClassTrust() {
    }

    /** Adds trust in Pulse's generated classes to Avro's global class validator; idempotent. */
    public static synchronized void install() {
        if (!installed) {
            ClassSecurityValidator.setGlobal(
                    ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), GeneratedClassTrust::isGenerated));
            installed = true;
        }
    }

    static boolean isGenerated(Class<?> type) {
        boolean avroType = SpecificRecord.class.isAssignableFrom(type) || type.isEnum() || GenericFixed.class.isAssignableFrom(type);
        return avroType && type.getName().startsWith(GENERATED_PACKAGE + ".");
    }
}
