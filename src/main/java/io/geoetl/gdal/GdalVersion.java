package io.geoetl.gdal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/** The installed GDAL's version, read once from {@code gdalinfo --version}. */
@Component
public class GdalVersion {

    private volatile String version;

    public String version() {
        String known = version;
        if (known == null) {
            known = read();
            version = known;
        }
        return known;
    }

    private static String read() {
        try {
            Process process = new ProcessBuilder("gdalinfo", "--version").redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("gdalinfo --version did not answer within 10 s");
            }
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IllegalStateException("gdalinfo --version failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("GDAL is not installed (gdalinfo not found): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking GDAL for its version", e);
        }
    }
}
