# streaming-gateway: WebSocket gateway at /ws and the console at / (port 8080).
#
# Build from the repository root (the build context is the whole workspace, see .dockerignore):
#   docker build -f docker/streaming-gateway.Dockerfile -t rebal/streaming-gateway:dev .
# Run (Redis reachable at REDIS_URL):
#   docker run --rm --init -p 8080:8080 -e REDIS_URL=redis://host.docker.internal:6379/0 rebal/streaming-gateway:dev
#
# PID 1 is node itself: the service handles SIGTERM and SIGINT (graceful shutdown within 10 s) and
# starts no child processes, so no tini is baked in; `docker run --init` or compose's `init: true`
# adds one where zombie reaping is wanted. CMD is in exec form so signals reach node, not a shell.
# The final image writes nothing outside /tmp, so it runs with a read-only root filesystem.

# ---- build: every dependency (dev included) and the esbuild bundle -------------------------------
FROM node:24.20.0-bookworm-slim AS build
WORKDIR /src
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_SKIP_NX_CACHE=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# -> dist/apps/streaming-gateway/main.js plus the .lua scripts it reads at run time
RUN npx nx run streaming-gateway:build
# -> dist/apps/console: the page it serves at / (apps/console: index.html, main.js, styles.css)
RUN npx nx run console:build

# ---- runtime: production dependencies only, non-root ---------------------------------------------
FROM node:24.20.0-bookworm-slim AS runtime
# The console served at / is built beside the gateway (nx run console:build puts it in
# dist/apps/console) and copied with it; without an index.html there the gateway only logs a
# warning and serves no page.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DASHBOARD_DIR=/app/dist/apps/console
WORKDIR /app
COPY package.json package-lock.json ./
# Pruned production dependencies; no install scripts run, and npm's cache leaves with this layer.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /src/dist/apps/streaming-gateway ./dist/apps/streaming-gateway
COPY --from=build /src/dist/apps/console ./dist/apps/console
# uid/gid 1000 is the base image's `node` user; numeric so Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 8080
STOPSIGNAL SIGTERM
# No curl in the slim image: node's own fetch asks /livez (the process and its event loop).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/streaming-gateway/main.js"]
