import { seededRandom } from '../../domain/seeded-random.generator';
import { createEmbeddedVectorIndex } from '../../lib/vector/embedded-vector.index';

// A writing process for the embedded vector index's crash test: upserts batches of ten points
// into `collection` under `dir` until killed, printing each batch's number once it is written.
// Arguments: dir, collection, dims, compactLogBytes.

const [dir, collection, dims, compactLogBytes] = process.argv.slice(2);
const index = createEmbeddedVectorIndex({ dir: dir!, compactLogBytes: Number(compactLogBytes), compactLogRatio: 0 });
const r = seededRandom(41);
for (let batch = 0; ; batch++) {
  const points = Array.from({ length: 10 }, (_, i) => ({ id: `B${batch}-${i}`, vector: Array.from({ length: Number(dims) }, () => r() * 2 - 1), payload: { city: 'Dubai', batch } }));
  await index.upsert(collection!, points);
  process.stdout.write(`${batch}\n`);
}
