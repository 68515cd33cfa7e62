import type { Logger } from 'pino';
import type { Agent } from '../../domain/agent.types';
import type { Env } from '../../lib/env';
import { createOfflineAgent } from '../../domain/agent/offline.agent';
import { createOpenAiAgent } from './openai.agent';

// The offline agent is the default product path. With a key, the OpenAI agent answers and the
// offline agent stands behind it, so an outage or a bad answer still gets the lead a reply.
export function createAgent(env: Env, logger: Logger): Agent {
  const offline = createOfflineAgent();
  if (!env.OPENAI_API_KEY) return offline;
  logger.info({ model: env.OPENAI_MODEL, customBaseUrl: Boolean(env.OPENAI_BASE_URL) }, 'using the OpenAI agent (offline agent as fallback)');
  return createOpenAiAgent({
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    model: env.OPENAI_MODEL,
    logger,
    fallback: offline,
  });
}
