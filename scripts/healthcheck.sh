#!/usr/bin/env bash
# The container's health check: exit 0 when Ferry's liveness check answers 200 on the management port.
# Bash only (its /dev/tcp), so that a probe every 30 s starts no second JVM and needs no curl in the image.
port="${FERRY_MANAGEMENT_PORT:-9876}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" 2>/dev/null || exit 1
printf 'GET /observe/health/live HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
IFS= read -r -t 4 status <&3 || exit 1
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
