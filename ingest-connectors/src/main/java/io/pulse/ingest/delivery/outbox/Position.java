package io.pulse.ingest.delivery.outbox;

/**
 * A place in the outbox: a segment number and a byte offset in that segment's file.
 *
 * @param segment the segment's number (its file is {@code <segment, 20 digits>.seg})
 * @param offset  bytes from the start of the file, header included
 */
public record Position(long segment, long offset) implements Comparable<Position> {

    @Override
    public int compareTo(Position other) {
        int bySegment = Long.compare(segment, other.segment);
        return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return segment + ":" + offset;
    }
}
