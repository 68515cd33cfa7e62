/** Reads a text/event-stream body, calling `onEvent` for each complete event as soon as it arrives. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: Record<string, unknown>) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const payload = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (!payload) continue;
      try {
        onEvent(event, JSON.parse(payload) as Record<string, unknown>);
      } catch {
        // A malformed event is skipped; the final `turn` carries the whole reply anyway.
      }
    }
    if (done) return;
  }
}
