package io.pulse.lake.layout;

import io.pulse.common.config.TenantIds;
import io.pulse.lake.mapping.LakeMappingException;
import io.pulse.lake.store.LakeDirectory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Where a row of any dataset goes: {@code <dataset>/tenant=<tenant>/date=YYYY-MM-DD/hour=HH}, by the row's own
 * time in UTC (an event's event time, a window's start; never the broker's or the sink's clock), so that a late
 * record lands in the hour it belongs to and analysts' partition filters mean what they say. Tenants come first
 * so that a directory ACL can give a retailer's analysts their own data only.
 */
public final class HourlyLayout {
    private HourlyLayout() {
    }

    /** @throws LakeMappingException if the tenant is not a valid tenant id (it becomes a directory name) */
    public static LakeDirectory directoryOf(String dataset, String tenant, Instant time) {
        if (!TenantIds.isValid(tenant)) {
            throw new LakeMappingException("tenant '" + abbreviate(tenant) + "' is not a valid tenant id (" + TenantIds.RULE + ")");
        }
        ZonedDateTime at = time.atZone(ZoneOffset.UTC);
        return new LakeDirectory(dataset, List.of(
                "tenant=" + tenant,
                "date=" + at.toLocalDate(),
                String.format("hour=%02d", at.getHour())));
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
