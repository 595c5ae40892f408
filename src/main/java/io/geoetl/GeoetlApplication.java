package io.geoetl;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** geoetl: jobs -> stages -> parallel tasks that turn blobs into COGs, PostGIS tables and STAC. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class GeoetlApplication {

    public static void main(String[] args) {
        SpringApplication.run(GeoetlApplication.class, args);
    }
}
