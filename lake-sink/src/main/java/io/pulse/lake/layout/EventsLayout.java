package io.pulse.lake.layout;

import io.pulse.avro.lake.LakeEventRow;
import io.pulse.lake.store.LakeDirectory;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Where rows of the {@code events} dataset go:
 * {@code events/tenant=<tenant>/date=YYYY-MM-DD/hour=HH}, by the event's own time in UTC (not the
 * broker's or the sink's clock), so that a late event lands in the hour it happened and analysts'
 * partition filters mean what they say.
 */
public final class EventsLayout {
    public static final String DATASET = "events";

    private EventsLayout() {
    }

    public static LakeDirectory directoryOf(LakeEventRow row) {
        ZonedDateTime at = row.getEventTime().atZone(ZoneOffset.UTC);
        return new LakeDirectory(DATASET, List.of(
                "tenant=" + row.getTenant(),
                "date=" + at.toLocalDate(),
                String.format("hour=%02d", at.getHour())));
    }
}
