/**
 * An upstream body (an event stream from the API) passed on to the browser, ending quietly when
 * the browser goes. The upstream read is aborted with the browser's request, which errors the
 * body; the production server (node-fetch-server) recognises that abort and stays silent, but
 * React Router's dev server hands the error to Vite, which logs an internal server error and
 * shows its error overlay in every other open tab: closing one tab of the workspace broke the
 * others. Any other upstream failure still errors the stream.
 */
export function streamThrough(body: ReadableStream<Uint8Array>, signal: AbortSignal): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        if (signal.aborted) controller.close();
        else controller.error(error);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
