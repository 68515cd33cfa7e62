import { MessageText } from '~/components/lead/message-text';

export interface ChatMessage {
  id: string;
  from: 'me' | 'agent' | 'broker' | 'system';
  text: string;
  /** Waiting for the first word of the reply. */
  pending?: boolean;
  /** Words are still arriving. */
  streaming?: boolean;
}

/** One chat bubble: WhatsApp-style formatting rendered (never as HTML), typing dots until the first word. */
export function ChatBubble({ m }: { m: ChatMessage }) {
  const from = m.from === 'broker' ? 'agent' : m.from;
  return (
    <div className={`chat-msg chat-${from}`} data-from={m.from} data-streaming={m.streaming ? 'true' : undefined} aria-busy={m.streaming || m.pending ? true : undefined}>
      {m.text ? (
        <MessageText text={m.text} />
      ) : m.pending ? (
        <span className="chat-typing" role="img" aria-label="typing">
          <i />
          <i />
          <i />
        </span>
      ) : null}
    </div>
  );
}
