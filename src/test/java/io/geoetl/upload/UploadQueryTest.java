package io.geoetl.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geoetl.error.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadQueryTest {

    @Test
    void readsTheNameAsSentPercentDecodedAndOverwriteDefaultsToFalse() {
        UploadQuery query = UploadQuery.parse("name=a%2Fb%20c%2F..%2Fd.tif");

        assertThat(query.name()).isEqualTo("a/b c/../d.tif");
        assertThat(query.overwrite()).isFalse();
        assertThat(UploadQuery.parse("overwrite=true&name=x.tif").overwrite()).isTrue();
    }

    @Test
    void noQueryMeansNoName() {
        assertThat(UploadQuery.parse(null).name()).isNull();
        assertThat(UploadQuery.parse("").name()).isNull();
        assertThat(UploadQuery.parse("name").name()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"name=a.tif&name=b.tif", "name=a.tif&overwrite=true&overwrite=false"})
    void aParameterGivenTwiceIsRefused(String query) {
        assertThatThrownBy(() -> UploadQuery.parse(query)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("must be given once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name=x.tif&overwrite=yes", "name=x.tif&overwrite=TRUE", "name=x.tif&overwrite="})
    void overwriteIsTrueOrFalse(String query) {
        assertThatThrownBy(() -> UploadQuery.parse(query)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'overwrite'");
    }

    @Test
    void aBrokenPercentEscapeNamesTheField() {
        assertThatThrownBy(() -> UploadQuery.parse("name=a%zz.tif")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'name'");
    }
}
