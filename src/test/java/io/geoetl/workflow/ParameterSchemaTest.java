package io.geoetl.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import io.geoetl.error.BadRequestException;
import org.junit.jupiter.api.Test;

class ParameterSchemaTest {

    private final ParameterSchema schema = ParameterSchema.of(
            ParameterField.integer("n", "count", 3L, 0, 10),
            ParameterField.string("container", "container", "bronze", 63),
            ParameterField.choice("mode", "mode", "a", List.of("a", "b")),
            ParameterField.stringList("keys", "keys", 5, "[a-z_0-9]+"),
            ParameterField.string("blob_name", "required name", null, 100));

    @Test
    void appliesDefaultsAndSortsKeys() {
        Map<String, Object> canonical = schema.canonicalize(Map.of("blob_name", "x.tif"));

        assertThat(canonical).containsExactly(Map.entry("blob_name", "x.tif"), Map.entry("container", "bronze"),
                Map.entry("keys", List.of()), Map.entry("mode", "a"), Map.entry("n", 3L));
    }

    @Test
    void acceptsWholeNumbersWrittenAsDecimals() {
        assertThat(schema.canonicalize(Map.of("blob_name", "x", "n", 4.0))).containsEntry("n", 4L);
    }

    @Test
    void rejectsIntegersBeyondSixtyFourBitsInsteadOfWrappingThem() {
        // 2^64 + 3: its low 64 bits are 3, within range.
        BigInteger wrapped = BigInteger.TWO.pow(64).add(BigInteger.valueOf(3));

        assertThatThrownBy(() -> schema.canonicalize(Map.of("blob_name", "x", "n", wrapped)))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("'n'")
                .hasMessageContaining("out of range");
    }

    @Test
    void rejectsMissingRequiredFieldNamingIt() {
        assertThatThrownBy(() -> schema.canonicalize(Map.of())).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'blob_name'").hasMessageContaining("required");
    }

    @Test
    void rejectsIllTypedAndOutOfRangeValuesNamingTheField() {
        assertThatThrownBy(() -> schema.canonicalize(Map.of("blob_name", "x", "n", "3")))
                .hasMessageContaining("'n'").hasMessageContaining("integer");
        assertThatThrownBy(() -> schema.canonicalize(Map.of("blob_name", "x", "n", 11)))
                .hasMessageContaining("'n'").hasMessageContaining("between 0 and 10");
        assertThatThrownBy(() -> schema.canonicalize(Map.of("blob_name", "x", "n", 2.5)))
                .hasMessageContaining("'n'");
        assertThatThrownBy(() -> schema.canonicalize(Map.of("blob_name", "x", "mode", "c")))
                .hasMessageContaining("'mode'").hasMessageContaining("[a, b]");
        assertThatThrownBy(() -> schema.canonicalize(Map.of("blob_name", "x", "keys", List.of("ok", "Bad!"))))
                .hasMessageContaining("'keys'");
        assertThatThrownBy(() -> schema.canonicalize(Map.of("blob_name", 7))).hasMessageContaining("'blob_name'");
    }

    @Test
    void optionalIntegerIsLeftOutWhenAbsentAndValidatedWhenGiven() {
        ParameterSchema withOptional = ParameterSchema.of(ParameterField.integer("n", "count", 3L, 0, 10),
                ParameterField.optionalInteger("k", "attempts", 0, 5));

        assertThat(withOptional.canonicalize(Map.of())).containsExactly(Map.entry("n", 3L));
        assertThat(withOptional.canonicalize(Map.of("k", 2))).containsEntry("k", 2L);
        assertThatThrownBy(() -> withOptional.canonicalize(Map.of("k", 6))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'k'").hasMessageContaining("between 0 and 5");
        assertThat(withOptional.jsonSchema()).containsEntry("required", List.of());
    }

    @Test
    void rejectsUnknownFieldsNamingThem() {
        assertThatThrownBy(() -> schema.canonicalize(Map.of("blob_name", "x", "colour", "red")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("'colour'");
    }

    @Test
    @SuppressWarnings("unchecked")
    void describesItselfAsJsonSchema() {
        Map<String, Object> json = schema.jsonSchema();

        assertThat(json).containsEntry("type", "object").containsEntry("required", List.of("blob_name"));
        assertThat(((Map<String, Object>) json.get("properties")).keySet()).containsExactly("n", "container", "mode", "keys",
                "blob_name");
    }
}
