package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.diagnostics.FailureAnalysis;

class BindAddressCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "localhost"})
    void loopbackAddressesAreLoopback(String address) throws Exception {
        assertThat(BindAddressCheck.loopback(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10", "10.1.2.3", "fd00::2"})
    void wildcardAndNetworkAddressesAreNotLoopback(String address) throws Exception {
        assertThat(BindAddressCheck.loopback(InetAddress.getByName(address))).isFalse();
    }

    @Test
    void noAddressMeansEveryInterfaceAndIsNotLoopback() {
        assertThat(BindAddressCheck.loopback(null)).isFalse();
    }

    @Test
    void loopbackWithoutAKeyStarts() throws Exception {
        assertThatCode(() -> BindAddressCheck.verify(InetAddress.getByName("127.0.0.1"), false, false, null))
                .doesNotThrowAnyException();
    }

    @Test
    void everyInterfaceWithoutAKeyIsRefusedNamingBothSettings() throws Exception {
        assertThatThrownBy(() -> BindAddressCheck.verify(InetAddress.getByName("0.0.0.0"), false, false, null))
                .isInstanceOf(UnprotectedBindException.class).hasMessageContaining("0.0.0.0 (every network interface)")
                .hasMessageContaining("GEOETL_API_KEY").hasMessageContaining("GEOETL_BIND_ADDRESS");
    }

    @Test
    void aLanAddressWithoutAKeyIsRefused() throws Exception {
        assertThatThrownBy(() -> BindAddressCheck.verify(InetAddress.getByName("192.0.2.10"), false, false, null))
                .isInstanceOf(UnprotectedBindException.class).hasMessageContaining("192.0.2.10");
    }

    @Test
    void anyAddressWithAKeyStarts() throws Exception {
        assertThatCode(() -> BindAddressCheck.verify(InetAddress.getByName("::"), true, false, null))
                .doesNotThrowAnyException();
    }

    @Test
    void aSeparateManagementPortOffLoopbackIsRefusedEvenWithAKey() throws Exception {
        InetAddress everywhere = InetAddress.getByName("0.0.0.0");

        assertThatThrownBy(() -> BindAddressCheck.verify(everywhere, true, true, null))
                .isInstanceOf(UnprotectedBindException.class).hasMessageContaining("management.server.address");
        assertThatCode(() -> BindAddressCheck.verify(everywhere, true, true, InetAddress.getByName("127.0.0.1")))
                .doesNotThrowAnyException();
    }

    @Test
    void theFailureReportSaysWhatIsWrongAndWhatToSet() {
        UnprotectedBindException refused = new UnprotectedBindException("what is wrong", "what to set");

        FailureAnalysis analysis = new UnprotectedBindFailureAnalyzer().analyze(new IllegalStateException(refused));

        assertThat(analysis.getDescription()).isEqualTo("what is wrong");
        assertThat(analysis.getAction()).isEqualTo("what to set");
    }
}
