# One image for api, worker and web; the command picks the role.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx react-router build && npx tsx temporal/bundle-workflows.ts build/workflow-bundle.js

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production WORKFLOW_BUNDLE_PATH=/app/build/workflow-bundle.js
COPY --from=build /app /app
EXPOSE 3000 3001
CMD ["node", "--import", "tsx", "api/server.ts"]
