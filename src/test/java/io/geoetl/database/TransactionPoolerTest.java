package io.geoetl.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TransactionPoolerTest {

    @Test
    void aSearchPathMustStartWithGeoetlsSchemaAndContainPublic() {
        assertThat(TransactionPooler.startsWithSchemaThenHasPublic("pooled, public", "pooled")).isTrue();
        assertThat(TransactionPooler.startsWithSchemaThenHasPublic("\"pooled\", \"$user\", public", "pooled"))
                .isTrue();
        assertThat(TransactionPooler.startsWithSchemaThenHasPublic("\"$user\", public", "geoetl")).isFalse();
        assertThat(TransactionPooler.startsWithSchemaThenHasPublic("public, pooled", "pooled")).isFalse();
        assertThat(TransactionPooler.startsWithSchemaThenHasPublic("pooled", "pooled")).isFalse();
        assertThat(TransactionPooler.startsWithSchemaThenHasPublic("", "pooled")).isFalse();
    }

    @Test
    void thePoolerSettingIsNoneOrTransactionAndAnythingElseStopsTheStart() {
        assertThat(TransactionPooler.behindTransactionPooler(environment(Map.of()))).isFalse();
        assertThat(TransactionPooler.behindTransactionPooler(environment(Map.of(TransactionPooler.PROPERTY, "none"))))
                .isFalse();
        assertThat(TransactionPooler.behindTransactionPooler(environment(Map.of(TransactionPooler.PROPERTY,
                "transaction")))).isTrue();
        assertThatThrownBy(() -> TransactionPooler.behindTransactionPooler(environment(Map.of(
                TransactionPooler.PROPERTY, "session")))).hasMessageContaining("none or transaction");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
