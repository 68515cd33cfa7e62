# One image for api, worker and web; the command picks the role. Production runs compiled
# JavaScript (npm run build: build/app/*.js, the pre-built workflow bundle, the web build) with
# plain node: no tsx and no dev dependencies in the image.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production WORKFLOW_BUNDLE_PATH=/app/build/workflow-bundle.js
COPY --from=build /app /app
EXPOSE 3000 3001
# node, not npm: SIGTERM reaches the process itself, which drains (API) or lets activities finish (worker).
CMD ["node", "--enable-source-maps", "build/app/api.js"]
