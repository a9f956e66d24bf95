package io.pulse.topology.sketch;

import java.nio.ByteBuffer;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Pulse's distinct counts: Apache DataSketches HyperLogLog, lg K = {@value #LG_K}, HLL_4, kept in
 * Avro bytes fields in compact form.
 *
 * <p>Why these numbers: a compact sketch stays at 8 bytes plus 4 per distinct value while it is small
 * and never exceeds about 2 KiB, so state stays bounded whatever the traffic. The sketch is exact
 * (in its list and set modes) up to {@value #EXACT_UP_TO} distinct values; beyond, the relative
 * standard error is about 1.6%. Sketches merge without loss (union), which is what makes rollups and
 * rolling windows possible.
 *
 * <p>In the records an empty sketch is empty bytes, so an empty aggregate costs nothing.
 */
public final class DistinctCounts {
    public static final int LG_K = 12;
    public static final TgtHllType TYPE = TgtHllType.HLL_4;
    /** Up to this many distinct values the estimate, rounded, is the exact count (list and set modes of lg K 12). */
    public static final int EXACT_UP_TO = 384;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private DistinctCounts() {
    }

    public static HllSketch newSketch() {
        return new HllSketch(LG_K, TYPE);
    }

    /** The sketch stored in an Avro bytes field; a new empty one for empty bytes. */
    public static HllSketch read(ByteBuffer bytes) {
        if (bytes == null || !bytes.hasRemaining()) {
            return newSketch();
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return HllSketch.heapify(copy);
    }

    /** The compact form for an Avro bytes field; empty bytes for an empty sketch. */
    public static ByteBuffer write(HllSketch sketch) {
        return sketch.isEmpty() ? EMPTY.duplicate() : ByteBuffer.wrap(sketch.toCompactByteArray());
    }

    /** The estimate rounded to a count. */
    public static long estimate(HllSketch sketch) {
        return Math.round(sketch.getEstimate());
    }

    /** The union of sketches: the distinct values of all of them. */
    public static HllSketch union(Iterable<HllSketch> sketches) {
        Union union = new Union(LG_K);
        sketches.forEach(union::update);
        return union.getResult(TYPE);
    }
}
