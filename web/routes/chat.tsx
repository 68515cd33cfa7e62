import { useEffect, useRef, useState, type FormEvent } from 'react';
import { data, useFetcher } from 'react-router';
import type { Route } from './+types/chat';
import { sessionKeyFrom, startChatSession, verificationStatus } from './chat.server';
import { loadChatHistory } from './chat-history.server';
import { VerifyNumber } from '~/components/chat/verify-number';
import { clientAddressOf } from '~/lib/session.server';
import { ChatBubble, type ChatMessage } from '~/components/chat/chat-bubble';
import { readEvents } from '~/components/chat/sse-reader';

// The public web chat a brokerage embeds. The session key stays in an httpOnly cookie; turns
// go to /chat/turn (same origin), which streams the agent's reply as Server-Sent Events.

export const meta: Route.MetaFunction = () => [{ title: 'Chat with us · Leadline' }];

export async function loader({ request }: Route.LoaderArgs) {
  const hasSession = (await sessionKeyFrom(request)) !== null;
  // A reload shows the conversation the session carries on with, and whether its number is proven.
  const [history, verification] = hasSession ? await Promise.all([loadChatHistory(request), verificationStatus(request)]) : [[], null];
  return { hasSession, history, verification };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const name = String(form.get('name') ?? '').trim().slice(0, 120);
  const result = await startChatSession(name ? { name } : {}, clientAddressOf(request));
  if ('setCookie' in result) return data({ ok: true as const, error: null }, { headers: { 'set-cookie': result.setCookie } });
  return data({ ok: false as const, error: result.message }, { status: result.status >= 400 && result.status < 600 ? result.status : 502 });
}

const GREETING: ChatMessage = {
  id: 'greeting',
  from: 'agent',
  text: 'Hi! Tell me what you are looking for — area, type, bedrooms, budget — and I will find matching homes for you.',
};

export default function ChatPage({ loaderData }: Route.ComponentProps) {
  const session = useFetcher<typeof action>();
  const [messages, setMessages] = useState<ChatMessage[]>(() => [GREETING, ...loaderData.history]);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const ready = loaderData.hasSession;

  useEffect(() => {
    if (!loaderData.hasSession && session.state === 'idle' && !session.data) void session.submit({}, { method: 'post' });
  }, [loaderData.hasSession, session]);

  useEffect(() => {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight, behavior: 'smooth' });
  }, [messages]);

  const update = (id: string, change: (m: ChatMessage) => ChatMessage) => setMessages((all) => all.map((m) => (m.id === id ? change(m) : m)));
  const note = (text: string) => setMessages((all) => [...all, { id: crypto.randomUUID(), from: 'system', text }]);

  async function send(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || busy || !ready) return;
    const clientMessageId = crypto.randomUUID();
    const replyId = `${clientMessageId}:reply`;
    setDraft('');
    setBusy(true);
    setMessages((all) => [...all, { id: clientMessageId, from: 'me', text }, { id: replyId, from: 'agent', text: '', pending: true }]);
    try {
      const res = await fetch('/chat/turn', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, clientMessageId }) });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setMessages((all) => all.filter((m) => m.id !== replyId));
        if (res.status === 429) note(`You are sending messages quickly — please wait ${res.headers.get('retry-after') ?? 'a few'} seconds.`);
        else if (res.status === 401) {
          note('Your chat session expired; starting a new one. Please send your message again.');
          void session.submit({}, { method: 'post' });
        } else note(body?.error?.message ?? 'Something went wrong. Please try again.');
        return;
      }
      let streamed = '';
      await readEvents(res.body, (name, payload) => {
        if (name === 'chunk' && typeof payload.text === 'string') {
          streamed += payload.text;
          const soFar = streamed;
          update(replyId, (m) => ({ ...m, text: soFar, pending: false, streaming: true }));
        } else if (name === 'turn' && typeof payload.text === 'string') {
          const full = payload.text;
          update(replyId, (m) => ({ ...m, text: full, pending: false, streaming: false }));
        } else if (name === 'error') {
          update(replyId, (m) => ({ ...m, from: 'system', pending: false, streaming: false, text: typeof payload.message === 'string' ? payload.message : 'No reply yet.' }));
        }
      });
      update(replyId, (m) => ({ ...m, pending: false, streaming: false }));
    } catch {
      update(replyId, (m) => ({ ...m, from: 'system', pending: false, streaming: false, text: 'Connection lost. Please try again.' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="chat">
      <style>{CHAT_CSS}</style>
      <header className="chat-header">
        <div className="chat-avatar" aria-hidden>
          L
        </div>
        <div>
          <div className="chat-title">Property assistant</div>
          <div className="chat-subtitle">{ready ? 'Online · replies in seconds' : session.data?.error ? session.data.error : 'Connecting…'}</div>
        </div>
      </header>
      <VerifyNumber disabled={!ready} verification={loaderData.verification} />
      <div className="chat-log" ref={listRef} aria-live="polite">
        {messages.map((m) => (
          <ChatBubble key={m.id} m={m} />
        ))}
      </div>
      <form className="chat-form" onSubmit={send}>
        <input
          name="text"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder={ready ? 'Type your message…' : 'Connecting…'}
          maxLength={4000}
          autoComplete="off"
          disabled={!ready}
          aria-label="Message"
        />
        <button type="submit" disabled={!ready || busy || draft.trim() === ''}>
          Send
        </button>
      </form>
    </div>
  );
}

const CHAT_CSS = `
.chat { max-width: 640px; margin: 0 auto; height: calc(100vh - 48px); display: flex; flex-direction: column; background: #fff; border: 1px solid var(--line); border-radius: 14px; overflow: hidden; }
.chat-header { display: flex; gap: 12px; align-items: center; padding: 14px 18px; background: #0f766e; color: #fff; }
.chat-avatar { width: 36px; height: 36px; border-radius: 50%; background: #134e4a; display: grid; place-items: center; font-weight: 700; }
.chat-title { font-weight: 600; }
.chat-subtitle { font-size: 12px; opacity: .85; }
.chat-log { flex: 1; overflow-y: auto; padding: 18px; display: flex; flex-direction: column; gap: 10px; background: #f8fafc; }
.chat-msg { max-width: 80%; padding: 9px 13px; border-radius: 14px; font-size: 15px; line-height: 1.4; white-space: pre-wrap; word-wrap: break-word; }
.chat-agent { align-self: flex-start; background: #fff; border: 1px solid var(--line); border-bottom-left-radius: 4px; }
.chat-me { align-self: flex-end; background: #0f766e; color: #fff; border-bottom-right-radius: 4px; }
.chat-system { align-self: center; background: transparent; color: var(--muted); font-size: 13px; }
.chat-form { display: flex; gap: 8px; padding: 12px; border-top: 1px solid var(--line); }
.chat-form input { flex: 1; padding: 10px 14px; border: 1px solid var(--line); border-radius: 999px; font-size: 15px; outline: none; }
.chat-form input:focus { border-color: #0f766e; }
.chat-form button { padding: 10px 18px; border: 0; border-radius: 999px; background: #0f766e; color: #fff; font-weight: 600; cursor: pointer; }
.chat-form button:disabled { opacity: .5; cursor: default; }
.chat-typing { display: inline-flex; gap: 4px; }
.chat-typing i { width: 6px; height: 6px; border-radius: 50%; background: #94a3b8; animation: chat-blink 1s infinite; }
.chat-typing i:nth-child(2) { animation-delay: .2s; }
.chat-typing i:nth-child(3) { animation-delay: .4s; }
@keyframes chat-blink { 0%, 80%, 100% { opacity: .3; } 40% { opacity: 1; } }
`;
