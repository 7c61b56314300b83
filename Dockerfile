# AIMS as a container image: `aims serve` by default, `aims worker` / `aims ingest` / any command
# as the container's arguments (and `aims` on the PATH for `exec`). See README "Run with
# containers" and compose.yaml.
#
#   build    all dependencies, TypeScript → dist, the CLI bundle, the web UI → packages/web/dist
#   deps     production dependencies only; better-sqlite3 compiled here for this image's Node
#   runtime  node + tini + the two results above, as the unprivileged user `node`

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/fits/package.json packages/fits/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
# No install scripts: the root `prepare` would build before the sources are here, and nothing in
# this stage loads a native module.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY scripts/bundle-server.mjs scripts/
COPY packages/fits packages/fits
COPY packages/server packages/server
COPY packages/web packages/web
RUN npm run build

FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/fits/package.json packages/fits/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
# better-sqlite3 from source: its prebuilt binaries come from GitHub, which a build farm may not
# reach, and a binary built against this image's Node cannot mismatch it. (sharp's binaries are
# npm packages of their own and need no install script.)
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm run --prefix node_modules/better-sqlite3 build-release \
 && rm -rf node_modules/better-sqlite3/build/Release/obj.target node_modules/better-sqlite3/deps \
 && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/package.json ./
COPY --from=build /app/packages/fits/package.json packages/fits/
COPY --from=build /app/packages/fits/dist packages/fits/dist
COPY --from=build /app/packages/server/package.json packages/server/
COPY --from=build /app/packages/server/bin packages/server/bin
COPY --from=build /app/packages/server/dist packages/server/dist
COPY --from=build /app/packages/server/bundle packages/server/bundle
COPY --from=build /app/packages/web/dist packages/web/dist
# The catalog (SQLite), previews and the JWT secret live in /data, a volume owned by `node`; the
# images are mounted read-only at /images (AIMS never writes to them).
RUN mkdir -p /data /images && chown node:node /data \
 && ln -s /app/packages/server/bin/aims.js /usr/local/bin/aims
ENV NODE_ENV=production \
    AIMS_HOST=0.0.0.0 \
    AIMS_PORT=8080 \
    AIMS_DATA_DIR=/data \
    AIMS_IMAGE_DIR=/images
USER node
VOLUME ["/data"]
EXPOSE 8080
# Health as a supervisor sees it: 200 from /api/health (catalog reachable), else unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.AIMS_PORT||8080)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini as PID 1 forwards SIGTERM to node and reaps the worker threads' children, so `stop` drains
# the ingest queue instead of being killed after the grace period.
ENTRYPOINT ["/usr/bin/tini", "--", "aims"]
CMD ["serve"]
