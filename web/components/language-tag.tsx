import { Badge } from '~/components/ui/badge';

// The language the lead writes in, so a broker knows before opening the chat which language to
// call or write in. Detected from the lead's own messages (the contact's `language`).
const NAMES: Record<string, string> = { en: 'English', ar: 'العربية · Arabic', hi: 'हिन्दी · Hindi', 'hi-Latn': 'Hinglish' };

export function LanguageTag({ language }: { language: string | null | undefined }) {
  if (!language) return null;
  return (
    <span lang={language} title="The language this lead writes in" data-language={language}>
      <Badge>{NAMES[language] ?? language}</Badge>
    </span>
  );
}
