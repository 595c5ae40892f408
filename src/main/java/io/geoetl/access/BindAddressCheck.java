package io.geoetl.access;

import java.net.InetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Protected mode: without an API key geoetl listens on a loopback address only. Runs when the web server
 * is being set up, after Spring has applied server.address (GEOETL_BIND_ADDRESS), so it sees the address
 * that will really be bound, and before any route or queue consumer starts.
 */
@Component
class BindAddressCheck implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(BindAddressCheck.class);

    private final ApiKey key;
    private final Environment environment;

    BindAddressCheck(ApiKey key, Environment environment) {
        this.key = key;
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        // After every other customizer, so that the address checked is the one the server binds.
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        InetAddress address = factory instanceof AbstractConfigurableWebServerFactory configurable
                ? configurable.getAddress() : null;
        boolean separateManagement = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
        InetAddress managementAddress = Binder.get(environment).bind("management.server.address", InetAddress.class)
                .orElse(null);
        verify(address, key.configured(), separateManagement, managementAddress);
        log.info("event=http_listen address={} api_key={}", address == null ? "0.0.0.0" : address.getHostAddress(),
                key.configured() ? "required" : "none");
    }

    /**
     * Refuses a non-loopback address without a key, and a separate management port (which the key filter
     * does not guard) on anything but loopback. A null address means every interface, as Spring binds it.
     */
    static void verify(InetAddress server, boolean keyConfigured, boolean separateManagement,
            InetAddress management) {
        if (!loopback(server) && !keyConfigured) {
            throw new UnprotectedBindException("geoetl would listen on " + describe(server) + " without an API "
                    + "key: anyone who can reach this machine could submit, cancel and read jobs.",
                    "Set GEOETL_API_KEY to a secret (clients send it as X-API-Key or Authorization: Bearer <key>), "
                            + "or listen on this machine only: unset GEOETL_BIND_ADDRESS (default 127.0.0.1).");
        }
        if (separateManagement && !loopback(management)) {
            throw new UnprotectedBindException("The management port (management.server.port) would listen on "
                    + describe(management) + ", and the API key does not guard that port.",
                    "Set management.server.address to 127.0.0.1, or unset management.server.port and scrape "
                            + "/actuator/prometheus on the main port with the key (Authorization: Bearer <key>).");
        }
    }

    /**
     * 127.0.0.0/8 and ::1 (also "localhost", resolved). The wildcard 0.0.0.0 or :: is every interface, not
     * loopback, and so is a LAN address.
     */
    static boolean loopback(InetAddress address) {
        return address != null && address.isLoopbackAddress();
    }

    private static String describe(InetAddress address) {
        if (address == null || address.isAnyLocalAddress()) {
            return (address == null ? "0.0.0.0" : address.getHostAddress()) + " (every network interface)";
        }
        return address.getHostAddress();
    }
}
