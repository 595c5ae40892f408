package io.geoetl.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.geoetl.error.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemsQueryTest {

    @Test
    void withoutParametersTheFirstPageHoldsTenFeatures() {
        ItemsQuery query = ItemsQuery.parse(Map.of());

        assertThat(query.limit()).isEqualTo(10);
        assertThat(query.bbox()).isNull();
        assertThat(query.after()).isNull();
    }

    @Test
    void theNextQueryKeepsLimitAndBboxAndCarriesTheLastFid() {
        ItemsQuery query = ItemsQuery.parse(Map.of("limit", "25", "bbox", " -80, 35,-78.5,36 ", "after", "40"));

        assertThat(query.nextQuery(65)).isEqualTo("limit=25&bbox=-80.0,35.0,-78.5,36.0&after=65");
        assertThat(query.selfQuery()).isEqualTo("limit=25&bbox=-80.0,35.0,-78.5,36.0&after=40");
        assertThat(ItemsQuery.parse(Map.of()).selfQuery()).isEqualTo("limit=10");
    }

    @Test
    void aBboxWhoseWestIsEastOfItsEastCrossesTheAntimeridian() {
        assertThat(ItemsQuery.bbox("170,-10,-170,10")).containsExactly(170, -10, -170, 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10001", "99999999999999999999", "abc", "1.5", "1;select 1", "[1, 2]"})
    void aLimitOutside1To10000IsRefusedNamingLimit(String limit) {
        assertRefused(() -> ItemsQuery.limit(limit), "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,2,3", "1,2,3,4,5,6", "NaN,0,1,1", "0,0,Infinity,1", "a,b,c,d", "0,10,1,5",
            "0,0,181,1", "0,-91,1,1", "0,0,1,", ",,,", "1;drop table x"})
    void aBboxThatIsNotFourFiniteCrs84NumbersIsRefusedNamingBbox(String bbox) {
        assertRefused(() -> ItemsQuery.bbox(bbox), "bbox");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "x", "1 or 1=1", "99999999999999999999", "2.0"})
    void anAfterThatIsNotANonNegativeIntegerIsRefusedNamingAfter(String after) {
        assertRefused(() -> ItemsQuery.after(after), "after");
    }

    private static void assertRefused(Runnable parse, String field) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(BadRequestException.class, error -> {
            assertThat(error.details()).containsEntry("field", field);
            assertThat(error.getMessage()).contains(field);
        });
    }
}
