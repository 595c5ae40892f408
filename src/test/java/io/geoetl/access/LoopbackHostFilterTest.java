package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackHostFilterTest {

    @Test
    void loopbackNamesAndAddressesAndThePublicHostAreServed() {
        for (String host : new String[] {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "[::1]", "::1"}) {
            assertThat(LoopbackHostFilter.allowed(host, null)).as(host).isTrue();
        }
        assertThat(LoopbackHostFilter.allowed("geoetl.example.org", "geoetl.example.org")).isTrue();
    }

    @Test
    void anyOtherHostIsNotEvenIfItResolvesToLoopback() {
        for (String host : new String[] {"rebind.attacker.example", "localhost.attacker.example", "10.0.0.5",
            "0.0.0.0", "beef", "", "[::2]"}) {
            assertThat(LoopbackHostFilter.allowed(host, null)).as(host).isFalse();
        }
        assertThat(LoopbackHostFilter.allowed(null, null)).isFalse();
        assertThat(LoopbackHostFilter.allowed("rebind.attacker.example", "geoetl.example.org")).isFalse();
    }
}
