import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
// A CommonJS package whose exports Node's ESM loader cannot list: import the whole module.
import proto from '@temporalio/proto';
import { open, seal } from './aes-gcm';
import { SYSTEM_KEY_OWNER, leadKeyOwner, type DataKeyStore } from './data-key.store';

// Every payload Leadline puts in Temporal is replaced by an encrypted one: the original Payload
// message (metadata and data) serialised and sealed with AES-256-GCM under the data key of the
// lead the payload belongs to. The metadata says which data key (and which master key wrapped
// it at the time), so decoding needs no context and survives key rotation.
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_MASTER_KEY_ID = 'encryption-master-key-id';
export const METADATA_CIPHER = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';

const ProtoPayload = proto.temporal.api.common.v1.Payload;
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : undefined);
const payloadAad = (keyId: string) => `leadline/payload/v1/${keyId}`;

const LEAD_WORKFLOW_ID = /^lead-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Whose key encrypts a payload: the lead's for its workflow (and that workflow's activities), else the system key. */
export function keyOwnerFor(context: SerializationContext | undefined): string {
  const match = context?.workflowId ? LEAD_WORKFLOW_ID.exec(context.workflowId) : null;
  return match ? leadKeyOwner(match[1]!.toLowerCase()) : SYSTEM_KEY_OWNER;
}

export const isEncrypted = (payload: Payload) => text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: DataKeyStore) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const key = await this.keys.liveKey(keyOwnerFor(context));
    return payloads.map((payload) => ({
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        [METADATA_CIPHER]: utf8(CIPHER),
        [METADATA_KEY_ID]: utf8(key.id),
        [METADATA_MASTER_KEY_ID]: utf8(key.masterKeyId),
      },
      data: seal(key.key, ProtoPayload.encode(payload).finish(), payloadAad(key.id)),
    }));
  }

  /**
   * Throws DataKeyDestroyedError for a payload whose key was destroyed. Payloads that were never
   * encrypted (histories written before encryption) pass through unchanged.
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((p) => this.decodeOne(p)));
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    if (!isEncrypted(payload)) return payload;
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    if (!keyId || !payload.data) throw new Error('encrypted payload without a key id or data');
    const key = await this.keys.keyById(keyId);
    return ProtoPayload.decode(open(key.key, payload.data, payloadAad(keyId)));
  }
}
