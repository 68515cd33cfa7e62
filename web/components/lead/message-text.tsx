import type { ReactNode } from 'react';
import { parseWhatsApp, type FormatToken } from './whatsapp-format';

function render(tokens: FormatToken[]): ReactNode[] {
  return tokens.map((t, i) => {
    switch (t.kind) {
      case 'text':
        return t.text;
      case 'mono':
        return <code key={i}>{t.text}</code>;
      case 'bold':
        return <strong key={i}>{render(t.children)}</strong>;
      case 'italic':
        return <em key={i}>{render(t.children)}</em>;
      case 'strike':
        return <s key={i}>{render(t.children)}</s>;
    }
  });
}

/** A message with WhatsApp formatting shown as formatting; the text is never parsed as HTML. */
export function MessageText({ text }: { text: string }) {
  return <>{render(parseWhatsApp(text))}</>;
}
