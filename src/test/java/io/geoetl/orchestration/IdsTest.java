package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void jobIdIsSha256OfTypeNewlineAndCanonicalJson() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("n", 3L);
        parameters.put("message", "hi");

        // Computed independently: printf 'hello_world\n{"message":"hi","n":3}' | sha256sum
        assertThat(Ids.jobId("hello_world", parameters))
                .isEqualTo("a7708525ccbd4c8ddc73b6c0874d0040d3b4a787f2ae740d47797e5f2ce9417c");
    }

    @Test
    void canonicalJsonSortsKeysAtEveryLevelWithoutWhitespace() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", 1);
        inner.put("a", List.of("x", "y"));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("z", inner);
        outer.put("m", true);

        assertThat(Json.canonical(outer)).isEqualTo("{\"m\":true,\"z\":{\"a\":[\"x\",\"y\"],\"b\":1}}");
        assertThat(Ids.jobId("t", outer)).isEqualTo(Ids.jobId("t", new TreeMap<>(outer)));
    }

    @Test
    void taskIdUsesTheJobPrefixStageAndKey() {
        String jobId = "a".repeat(64);

        assertThat(Ids.taskId(jobId, 2, "hello_3")).isEqualTo("aaaaaaaaaaaaaaaa-s2-hello_3");
        assertThat(Ids.isTaskId("aaaaaaaaaaaaaaaa-s2-hello_3")).isTrue();
        assertThat(Ids.isTaskId("aaaaaaaaaaaaaaaa-s2-Hello")).isFalse();
        assertThat(Ids.isJobId(jobId)).isTrue();
        assertThat(Ids.isJobId("../etc")).isFalse();
    }
}
