package io.pulse.common.registry;

import org.apache.avro.Schema;

/** Small schemas written inline, so each test shows exactly what changed between versions. */
final class Schemas {

    private Schemas() {
    }

    static Schema parse(String json) {
        return new Schema.Parser().parse(json.replace('\'', '"'));
    }

    /** {@code Customer} v1: id and name. */
    static Schema customerV1() {
        return parse("{'type':'record','name':'Customer','namespace':'test','fields':["
                + "{'name':'id','type':'string'},{'name':'name','type':'string'}]}");
    }

    /** v2: adds a defaulted field (BACKWARD compatible). */
    static Schema customerV2() {
        return parse("{'type':'record','name':'Customer','namespace':'test','fields':["
                + "{'name':'id','type':'string'},{'name':'name','type':'string'},"
                + "{'name':'loyalty_tier','type':['null','string'],'default':null}]}");
    }

    /** Adds a field without a default: cannot read v1 data. */
    static Schema customerWithRequiredField() {
        return parse("{'type':'record','name':'Customer','namespace':'test','fields':["
                + "{'name':'id','type':'string'},{'name':'name','type':'string'},"
                + "{'name':'birth_year','type':'int'}]}");
    }

    /** Changes the type of {@code name}: cannot read v1 data. */
    static Schema customerWithNumericName() {
        return parse("{'type':'record','name':'Customer','namespace':'test','fields':["
                + "{'name':'id','type':'string'},{'name':'name','type':'long'}]}");
    }
}
