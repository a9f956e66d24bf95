package io.pulse.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.auth.ApiPath.Kind;
import org.junit.jupiter.api.Test;

class ApiPathTest {

    @Test
    void tenantRoutesNameTheirRawTenantSegment() {
        assertThat(ApiPath.of("/api/v1/tenants/contoso/metrics")).isEqualTo(new ApiPath(Kind.TENANT, "contoso", false));
        assertThat(ApiPath.of("/api/v1/tenants/contoso")).isEqualTo(new ApiPath(Kind.TENANT, "contoso", false));
        assertThat(ApiPath.of("/api/v1/tenants/contoso/stream")).isEqualTo(new ApiPath(Kind.TENANT, "contoso", true));
        assertThat(ApiPath.of("/api/v1/tenants/contoso/stream/")).isEqualTo(new ApiPath(Kind.TENANT, "contoso", true));
        assertThat(ApiPath.of("/api/v1/tenants/%63ontoso/metrics").tenantSegment()).isEqualTo("%63ontoso");
    }

    @Test
    void otherSpellingsOfTheApiAreStillTheApi() {
        assertThat(ApiPath.of("//api/v1/tenants/fabrikam/metrics")).isEqualTo(new ApiPath(Kind.TENANT, "fabrikam", false));
        assertThat(ApiPath.of("/API/V1/Tenants/fabrikam/metrics")).isEqualTo(new ApiPath(Kind.TENANT, "fabrikam", false));
        assertThat(ApiPath.of("/api//v1/tenants//Fabrikam/metrics")).isEqualTo(new ApiPath(Kind.TENANT, "Fabrikam", false));
        assertThat(ApiPath.of("/api/v1/tenants/").kind()).isEqualTo(Kind.OTHER_API);
        assertThat(ApiPath.of("/api/v1/tenants").kind()).isEqualTo(Kind.OTHER_API);
        assertThat(ApiPath.of("/api").kind()).isEqualTo(Kind.OTHER_API);
        assertThat(ApiPath.of("/api/v2/whatever").kind()).isEqualTo(Kind.OTHER_API);
    }

    @Test
    void publicPathsNeedNoToken() {
        assertThat(ApiPath.of("/api/v1/openapi.json").kind()).isEqualTo(Kind.PUBLIC_API);
        for (String path : new String[] {"/health/live", "/health/ready", "/metrics", "/dashboard/contoso", "/webjars/chart.js/chart.js",
                "/ingest/v1/events", "/admin/v1/sources", "/", "/apix", "/favicon.ico"}) {
            assertThat(ApiPath.of(path).needsToken()).as(path).isFalse();
            assertThat(ApiPath.of(path).isApi()).as(path).isFalse();
        }
    }
}
