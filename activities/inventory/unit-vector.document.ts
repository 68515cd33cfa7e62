import type { Unit } from '../../domain/profile.schema';
import type { CollectionSpec, VectorPayload } from '../../lib/vector/vector-index.contract';
import type { Embedder } from '../../lib/vector/embedder.contract';

// What the `units` collection holds for each unit: the text that is embedded (title, description,
// features) and the payload the structured filters run on. The collection's name carries the
// vector size, so a change to an embedder of another size builds a new collection beside the old.

export const UNIT_PAYLOAD_INDEXES = {
  unit: 'keyword',
  city: 'keyword',
  area: 'keyword',
  listing: 'keyword',
  type: 'keyword',
  beds: 'integer',
  price: 'float',
  currency: 'keyword',
  period: 'keyword',
  embedder: 'keyword',
} as const satisfies CollectionSpec['indexes'];

export const unitsCollection = (embedder: Pick<Embedder, 'dims'>) => `units_${embedder.dims}`;

export const unitsSpec = (embedder: Pick<Embedder, 'dims'>): CollectionSpec => ({ dims: embedder.dims, indexes: UNIT_PAYLOAD_INDEXES });

export function unitDocument(u: Unit): string {
  return [u.title, u.description, u.features.length > 0 ? `Features: ${u.features.join(', ')}.` : ''].filter(Boolean).join('\n');
}

export function unitPayload(u: Unit, embedderId: string): VectorPayload {
  return {
    unit: u.id,
    city: u.city,
    area: u.area,
    listing: u.listing,
    type: u.propertyType,
    beds: u.beds,
    price: u.price,
    currency: u.currency,
    period: u.listing === 'rent' ? (u.rentPeriod ?? 'year') : 'total',
    embedder: embedderId,
  };
}
