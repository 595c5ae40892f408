package io.geoetl.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import io.geoetl.GeoetlApplication;
import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Without an API key geoetl listens on loopback only, and refuses to listen anywhere else. */
@ExtendWith(OutputCaptureExtension.class)
class BindAddressIT extends IntegrationTest {

    @Test
    void withoutAKeyTheServerListensOnLoopbackOnly() throws Exception {
        InetAddress lan = ProtectedApiIT.nonLoopbackAddress();

        assertThat(get("/api/health").status()).isEqualTo(200);
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(lan, port), 5000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aNonLoopbackAddressWithoutAKeyRefusesToStartAndSaysWhatToSet(CapturedOutput output) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(GeoetlApplication.class).profiles("test");
        // Command-line arguments, as a user would pass them: they override application.yaml.
        String[] args = {"--server.address=0.0.0.0", "--server.port=0", "--geoetl.api.api-key=",
            "--geoetl.roles.worker=false", "--geoetl.roles.ingest=false"};

        assertThatThrownBy(() -> {
            try (ConfigurableApplicationContext started = app.run(args)) {
                started.getId();
            }
        }).hasStackTraceContaining("0.0.0.0");
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START").contains("GEOETL_API_KEY")
                .contains("GEOETL_BIND_ADDRESS");
    }
}
