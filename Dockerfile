# One image for every Saferoads process; the command picks the service (see docker-compose.yml).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY services/shared/package.json services/shared/
COPY services/traffic-stats/package.json services/traffic-stats/
COPY simulators/loop-sensor/package.json simulators/loop-sensor/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER node
ENTRYPOINT ["node", "bin/saferoads.js"]
CMD ["start"]
