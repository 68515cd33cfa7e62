import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Env } from '../lib/env';
import { temporalConnectionOptions } from './connection.options';

type ClientEnv = Parameters<typeof temporalConnectionOptions>[0] & Pick<Env, 'TEMPORAL_NAMESPACE'>;

/**
 * The client every process uses, connected as env says (TLS, mTLS, API key, namespace). Pass
 * the data converter of createPayloadEncryption: every payload the client writes is encrypted.
 */
export async function createTemporalClient(env: ClientEnv, dataConverter: DataConverter): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(env));
  return new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter });
}
