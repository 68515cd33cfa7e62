import type { Logger } from 'pino';
import type { Agent } from '../../domain/agent.types';
import type { Env } from '../../lib/env';
import { createOfflineAgent } from './offline.agent';

// The offline agent is the default product path. The OpenAI agent (tool calling, structured
// output) plugs in behind the same interface; until it lands a configured key is reported,
// not silently ignored.
export function createAgent(env: Env, logger: Logger): Agent {
  if (env.OPENAI_API_KEY) {
    logger.warn('OPENAI_API_KEY is set but the OpenAI agent is not built yet; using the offline agent');
  }
  return createOfflineAgent();
}
