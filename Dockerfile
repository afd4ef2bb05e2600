# syntax=docker/dockerfile:1
# Zoom Live Questions: a two-stage image. The build stage compiles TypeScript with the full
# toolchain; the runtime stage holds only production dependencies and dist/, runs as the
# unprivileged `node` user, and needs MONGO_URI, API_KEYS, BASE_URL, ANSWER_TOKEN_SECRET and the
# ZOOM_* variables (production refuses to start without them: see README.md, Configuration).
#
#   docker build -t zoom-live-questions .
#   docker run --init --env-file .env -p 3000:3000 zoom-live-questions

# Node 24, the current LTS (Node 20 reached end of life in April 2026); CI tests on 24 too.
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY tools ./tools
COPY scripts ./scripts
# Compiles src/, tools/ and scripts/ to dist/ and exports openapi.json.
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/openapi.json ./openapi.json
USER node
EXPOSE 3000
# No curl in the slim image: Node's own fetch asks /health (200 only when the database answers).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node gets SIGTERM itself and shuts down gracefully (README.md, Shutdown).
CMD ["node", "dist/src/main.js"]
