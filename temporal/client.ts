import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';

/** Pass the data converter of createPayloadEncryption: every payload the client writes is encrypted. */
export async function createTemporalClient(address: string, namespace: string, dataConverter: DataConverter): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, dataConverter });
}
