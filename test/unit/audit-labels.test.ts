import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths';
import { AUDIT_ACTION_LABELS } from '../../web/components/lead/conversation.model';

// Every action the code writes to the audit log reads as words on the lead page: a new action
// without a label would show its raw code ("contact.merge") to brokers.

const WRITERS = ['api', 'activities'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

function auditedActions(): string[] {
  const actions = new Set<string>();
  for (const file of WRITERS.flatMap((d) => sourceFiles(path.join(repoRoot, d)))) {
    const text = readFileSync(file, 'utf8');
    if (!/AuditLogRepository|\baudit\(/.test(text)) continue;
    for (const m of text.matchAll(/'((?:lead|contact|user|auth)\.[a-z_]+)'/g)) actions.add(m[1]!);
  }
  return [...actions].sort();
}

describe('audit action labels', () => {
  it('has a label for every action the API and the worker write', () => {
    const actions = auditedActions();
    // the scan itself must see the writers, or it would pass on nothing
    expect(actions).toEqual(expect.arrayContaining(['contact.merge', 'contact.erase', 'lead.claim', 'lead.unit_sent', 'user.invite', 'auth.sign_in']));
    expect(actions.filter((a) => !AUDIT_ACTION_LABELS[a])).toEqual([]);
  });
});
