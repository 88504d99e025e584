# syntax=docker/dockerfile:1
# Build: docker build -t s3-chatops .
# Run:   docker run --env-file .env -v $PWD/s3-chatops.yml:/app/s3-chatops.yml:ro -p 3000:3000 s3-chatops
#        (bot and worker in one process; .env sets REDIS_URL. docker-compose.yml runs them as separate services.)

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped here: `prepare` builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim
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
