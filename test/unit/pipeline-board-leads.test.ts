import { describe, expect, it } from 'vitest';
import { boardLeads } from '../../web/components/pipeline/pipeline.types';
import type { LeadSummary } from '../../domain/lead-summary.schema';

const lead = (id: string, stage: string) => ({ id, stage }) as LeadSummary;

describe('the pipeline board’s leads', () => {
  it('shows a lead listed in two columns (moved between the column calls) once, from the later column', () => {
    const columns = [
      { stage: 'claimed', items: [lead('a', 'claimed'), lead('b', 'claimed')], total: 2, limit: 20 },
      { stage: 'viewing', items: [lead('a', 'viewing')], total: 1, limit: 20 },
    ];
    expect(boardLeads(columns).map((l) => [l.id, l.stage])).toEqual([
      ['a', 'viewing'],
      ['b', 'claimed'],
    ]);
  });
});
