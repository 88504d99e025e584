# syntax=docker/dockerfile:1
# Build: docker build -t s3-chatops .
# Run:   docker run --env-file .env -v $PWD/s3-chatops.yml:/app/s3-chatops.yml:ro -p 3000:3000 s3-chatops
#        (bot and worker in one process; .env sets REDIS_URL. docker-compose.yml runs them as separate services.)

# The base image is pinned by digest (node 24.18.0 on Debian bookworm, slim), so a rebuild gets the same
# bytes. To move to a newer build: `docker buildx imagetools inspect node:24-bookworm-slim` prints the
# current digest; put it here and rebuild with `--build-arg` or an edit.
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped here: `prepare` builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=3000 \
    CONFIG_FILE=/app/s3-chatops.yml
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.yml s3-chatops.example.yml ./
COPY bin ./bin
USER node
# The bot serves /slack/events, /healthz, /readyz and /metrics on PORT; a worker serves /metrics on its PORT.
EXPOSE 3000
# Node runs as PID 1 and handles SIGTERM itself: stop taking work, finish what runs (bounded), exit 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/s3-chatops.js"]
# Every role by default: a bot alone would queue alerts, digests and cleanups that nothing runs.
CMD ["start", "--role", "all"]
