import type { Channel } from '../../domain/profile.schema';

export interface SendRequest {
  leadId: string;
  channel: Channel;
  text: string;
  idempotencyKey: string;
  inReplyTo: string[];
}

export interface SendResult {
  /** sent: the provider took it; stored: the channel is read by polling/streaming (web chat); failed. */
  status: 'sent' | 'stored' | 'failed' | 'not_configured';
  providerId: string | null;
  error?: string;
}

/** Sends a reply on the lead's own channel. */
export interface ChannelSender {
  send(request: SendRequest): Promise<SendResult>;
}
