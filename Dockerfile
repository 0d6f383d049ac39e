# syntax=docker/dockerfile:1
# Multi-stage: build server and client with dev dependencies, then ship a slim
# runtime with production dependencies only, running as uid 10001 with /data.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# A compiler for native addons on a platform their packages ship no prebuilt binary for
# (better-sqlite3 13 ships linux x64/arm64, glibc and musl, inside the package).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Keep this stage in step with deploy/Dockerfile.runtime (the same image from prebuilt files).
FROM node:24-bookworm-slim AS runtime
# Everything the server writes is under /data: the SQLite file and the VAPID key
# (named explicitly, so it stays in /data with PostgreSQL too).
ENV NODE_ENV=production \
    KEZ_CHAT_BIND=0.0.0.0:6969 \
    KEZ_CHAT_DB=/data/kez-chat.db \
    KEZ_CHAT_VAPID_KEY_PATH=/data/vapid.pem
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown 10001:10001 /data
USER 10001:10001
VOLUME ["/data"]
EXPOSE 6969
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:6969/v1/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server/server/src/main.js"]
