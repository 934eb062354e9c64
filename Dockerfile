# One image for every Saferoads process. The command picks what runs (docker-compose.yml):
#   node --import tsx services/loop-ingest/src/main.ts      the loop ingest gateway (port 8081)
#   node --import tsx services/traffic-stats/src/main.ts    traffic statistics (ops port 8082)
#   node --import tsx services/weather-ingest/src/main.ts   the weather ingest gateway (port 8083)
#   node --import tsx services/risk-scorer/src/main.ts      the risk scorer (ops port 8084)
#   node bin/saferoads.js simulate --target URL ...         the loop-sensor simulator
#   node bin/saferoads.js start                             the embedded pipeline (the default)
# TypeScript runs through tsx, a runtime dependency of the root package: there is no build step.
# docs/deployment.md describes the image and the compose file.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: production dependencies of the root package and of every workspace, from the lockfile.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
# .npmrc comes along so its settings hold here too (onnxruntime-node-install=skip: no native
# download at install time; fund/audit off). Every workspace's package.json must be listed:
# npm ci refuses a lockfile whose workspaces are missing (scripts/check-compose.sh checks the
# list against the root package.json's workspaces).
COPY package.json package-lock.json .npmrc ./
COPY dashboards/package.json dashboards/
COPY services/alert-api/package.json services/alert-api/
COPY services/alert-exchange/package.json services/alert-exchange/
COPY services/context/package.json services/context/
COPY services/loop-ingest/package.json services/loop-ingest/
COPY services/model-spec/package.json services/model-spec/
COPY services/risk-scorer/package.json services/risk-scorer/
COPY services/shared/package.json services/shared/
COPY services/traffic-stats/package.json services/traffic-stats/
COPY services/weather-ingest/package.json services/weather-ingest/
COPY simulators/crashes/package.json simulators/crashes/
COPY simulators/loop-sensor/package.json simulators/loop-sensor/
COPY simulators/weather/package.json simulators/weather/
# npm ci would end with the root package's prepare script, the CLI bundle (scripts/build-cli.mjs
# into dist/cli), which needs the sources: this stage has only the manifests, so that the install
# layer is rebuilt only when they change. The image does without the bundle: its npm imports
# resolve from dist/cli/, i.e. the root node_modules, where a production install lacks packages
# that only a workspace has (services/shared's ajv 8), so bin/saferoads.js runs the sources
# through tsx, which resolves each import from its own workspace. The dependencies' own install
# scripts run as usual (esbuild's; onnxruntime-node's honours .npmrc).
RUN npm pkg delete scripts.prepare \
    && npm ci --omit=dev --no-audit --no-fund --cache .npm-cache \
    && rm -rf .npm-cache

# ---- runtime: the dependencies plus the sources the processes run, owned by root, run as node.
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="saferoads" \
      org.opencontainers.image.description="Real-time road-safety risk scoring: Saferoads services (one image, the command picks the service)" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
# node_modules (root and nested, e.g. services/shared/node_modules) with the workspace links,
# and the package.json files they point to; the root package.json as it is in the repository.
COPY --from=deps /app ./
COPY package.json ./
# Only what the processes load: the CLI, the services (their data: the bundled road network),
# the simulator and the topic-creation helper of docker-compose.yml. Tests, benchmarks, docs and
# dev tooling stay out (.dockerignore).
COPY tsconfig.json ./
COPY bin ./bin
COPY cli ./cli
COPY services ./services
COPY simulators ./simulators
# The dashboard's page, bundled here (the deps stage skips npm's prepare, which builds it in a
# clone): esbuild (tsx's) and the page's packages are production dependencies. The alert API
# serves dashboards/dist at /.
COPY dashboards/build.mjs ./dashboards/
COPY dashboards/src ./dashboards/src
RUN node dashboards/build.mjs
# The feature spec and the committed risk model with its metadata (the risk scorer's defaults);
# not the training pipeline.
COPY models/feature-spec.json models/risk-v1.onnx models/risk-v1.json ./models/
COPY scripts/compose/create-topics.ts ./scripts/compose/
# The official node image's unprivileged user `node`, by number so that runAsNonRoot (Kubernetes)
# can verify it. The app files stay root-owned, so the process cannot change its own code; tsx
# keeps its transform cache in /tmp.
USER 1000:1000
EXPOSE 8080 8081 8082 8083 8084
CMD ["node", "bin/saferoads.js", "start"]
