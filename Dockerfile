# Ferry: build with Maven, run on a JRE as a non-root user.
#   docker build -t ferry .
#   docker run --stop-timeout 30 -e FERRY_STATE_URL=jdbc:mysql://db:3306/ferry -e FERRY_STATE_USERNAME=ferry \
#              -e FERRY_STATE_PASSWORD=... -e FERRY_JUSHUITAN_APP_KEY=... -e FERRY_JUSHUITAN_APP_SECRET=... \
#              -e FERRY_JUSHUITAN_ACCESS_TOKEN=... ferry
# routes/ and application.properties are plain files in /app: mount your own over them to change a sync
# without rebuilding (-v $PWD/routes:/app/routes:ro), or point FERRY_CONFIG at another properties file.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# a numeric user, so that Kubernetes' runAsNonRoot can check it (deploy/kubernetes/deployment.yaml)
RUN groupadd --system --gid 10001 ferry && useradd --system --uid 10001 --gid ferry --home-dir /app --shell /usr/sbin/nologin ferry
WORKDIR /app
COPY --from=build /src/target/ferry.jar /app/ferry.jar
COPY --from=build /src/target/lib /app/lib
COPY routes /app/routes
COPY application.properties /app/application.properties
COPY scripts/healthcheck.sh /app/healthcheck.sh
# the embedded H2 state database (when FERRY_STATE_URL is not set) lives in /app/data: mount a volume there
RUN mkdir -p /app/data && chown -R ferry:ferry /app/data
USER 10001:10001
VOLUME ["/app/data"]
# cron expressions mean the vendors' time (China Standard Time) unless TZ says otherwise (-e TZ=Europe/Berlin)
ENV TZ=Asia/Shanghai
# The management server listens beyond loopback so that probes and Prometheus reach it: health, metrics and the REST
# API (docs/observing.md, docs/api.md); users and tokens (hashes only) in a properties file of your own (FERRY_CONFIG)
# put metrics behind a login, and the API and the web console (/console/) answer nothing without one.
ENV FERRY_MANAGEMENT_HOST=0.0.0.0
EXPOSE 9876
# Camel waits up to FERRY_SHUTDOWN_TIMEOUT (20 s) for a run to end on SIGTERM, then stops it; nothing is lost either
# way (a key is marked only after the target confirmed it). Give the container more than that before SIGKILL:
# docker run --stop-timeout 30, compose stop_grace_period: 30s, Kubernetes terminationGracePeriodSeconds: 30.
STOPSIGNAL SIGTERM
# liveness, not readiness: a sync whose last run failed makes /observe/health 503, which is no reason to restart
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/app/healthcheck.sh"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ferry.jar"]
CMD ["run"]
