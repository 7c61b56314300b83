#!/bin/sh
# The official image's `healthcheck.sh --connect`: healthy once the server answers over TCP (the
# first-start server listens on a socket only, so it never counts).
exec mariadb-admin --protocol=tcp -h 127.0.0.1 -u root "-p${MARIADB_ROOT_PASSWORD:-}" ping >/dev/null 2>&1
