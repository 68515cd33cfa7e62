/** The baseline's one activity: an HTTP send to the sink. */
export function createBareActivities(sinkUrl: string) {
  return {
    async bareSend(input: { to: string }): Promise<void> {
      const res = await fetch(`${sinkUrl}/bare/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
      if (!res.ok) throw new Error(`sink answered ${res.status}`);
      await res.arrayBuffer();
    },
  };
}
export type BareActivities = ReturnType<typeof createBareActivities>;
