// Turns texts into vectors for the vector index. `id` names the model and its settings: it is
// recorded in every indexed point's payload, so a change of embedder is detected and the
// collection re-indexed rather than mixing vectors from two spaces.
export interface Embedder {
  readonly id: string;
  readonly dims: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
