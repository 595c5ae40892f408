# geoetl image: build with Maven, run on Debian 12 with the same GDAL 3.6 the tests use.
# Runtime packages come from script/packages-runtime.txt, the list script/bootstrap installs too.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY sql sql
RUN mvn -B -q -DskipTests package

FROM debian:12-slim
COPY script/packages-runtime.txt /tmp/packages-runtime.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates \
      $(grep -v '^\s*#' /tmp/packages-runtime.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/packages-runtime.txt \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin geoetl
WORKDIR /app
COPY --from=build /src/target/geoetl.jar /app/geoetl.jar
COPY sql /app/sql
# Migrations run from the shipped sql/ folder (the jar carries the same files as a fallback).
# A container is reached through its network interface, so it listens on every interface; geoetl then
# refuses to start without GEOETL_API_KEY (a secret given at run time, never baked into the image):
#   docker run -e GEOETL_API_KEY=<secret> -e GEOETL_DB_URL=... -e AZURE_STORAGE_CONNECTION_STRING=... -p 8080:8080 geoetl
ENV SPRING_FLYWAY_LOCATIONS=filesystem:/app/sql \
    GEOETL_PORT=8080 \
    GEOETL_BIND_ADDRESS=0.0.0.0
USER 10001
EXPOSE 8080
# SIGTERM reaches the JVM directly (exec form), so graceful shutdown releases in-flight tasks.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-jar", "/app/geoetl.jar"]
