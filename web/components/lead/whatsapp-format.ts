// WhatsApp's text formatting (*bold*, _italic_, ~strike~, ```mono```) as a token tree. The page
// renders the tree as React elements, never as HTML, so a message cannot inject markup.

export type FormatToken =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: FormatToken[] }
  | { kind: 'mono'; text: string };

const MARKERS: Record<string, 'bold' | 'italic' | 'strike'> = { '*': 'bold', _: 'italic', '~': 'strike' };

// A marker opens after a non-word character and closes before one (as WhatsApp does), so
// snake_case_names and 2*3*4 stay as typed. The inner text does not start or end with a space.
const INLINE = /(^|[^\p{L}\p{N}])([*_~])(\S(?:[^\n]*?\S)?)\2(?=$|[^\p{L}\p{N}])/u;
const MONO = /```([\s\S]+?)```/;

export function parseWhatsApp(text: string, depth = 0): FormatToken[] {
  const out: FormatToken[] = [];
  const pushText = (t: string) => {
    if (!t) return;
    const last = out.at(-1);
    if (last?.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  let rest = text;
  while (rest) {
    const mono = depth === 0 ? MONO.exec(rest) : null;
    const inline = depth < 3 ? INLINE.exec(rest) : null;
    const inlineAt = inline ? inline.index + inline[1]!.length : -1;
    if (mono && (!inline || mono.index <= inlineAt)) {
      pushText(rest.slice(0, mono.index));
      out.push({ kind: 'mono', text: mono[1]! });
      rest = rest.slice(mono.index + mono[0].length);
    } else if (inline) {
      pushText(rest.slice(0, inlineAt));
      out.push({ kind: MARKERS[inline[2]!]!, children: parseWhatsApp(inline[3]!, depth + 1) });
      rest = rest.slice(inline.index + inline[0].length);
    } else {
      pushText(rest);
      break;
    }
  }
  return out;
}
