import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/services';
import { devMasterKeyFile, masterKeyring } from '../../temporal/codec/master-keys';
import { buildCompiledProcesses, startCompiledProcess, type CompiledProcess } from '../support/compiled-build';
import { eventually, startHarness, type Harness } from '../support/harness';
import { harnessServersEnv } from '../support/worker-process';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';

// Production as deployed (#13): the compiled build run by plain node in NODE_ENV=production,
// two worker processes and two API instances against one Temporal server, leads posted to both
// APIs in turn. Every lead gets its reply, each sent exactly once, and both kinds of process
// stop cleanly on SIGTERM (the API drains, the worker lets its activities finish).

const SECRET = 'prod-app-secret';
const TOKEN = 'prod-wa-token';
const production = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  API_TOKEN: 'production-machine-token-0123',
  ENCRYPTION_MASTER_KEYS: `p1:${Buffer.alloc(32, 9).toString('base64')}`,
  SUPPRESSION_HMAC_KEY: 'production-suppression-key-0123',
  WHATSAPP_APP_SECRET: SECRET,
};

describe('production build: two workers, two APIs, one Temporal server', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  let build: Awaited<ReturnType<typeof buildCompiledProcesses>>;
  const processes: CompiledProcess[] = [];
  let shared: Record<string, string>;

  beforeAll(async () => {
    // The harness only reads the database here; the processes under test are the compiled ones.
    h = await startHarness({ worker: false });
    meta = await startFakeMetaServer({ token: TOKEN });
    build = await buildCompiledProcesses('prod-test');
    masterKeyring({ NODE_ENV: 'test', ENCRYPTION_MASTER_KEYS: undefined, ENCRYPTION_ACTIVE_KEY_ID: undefined }); // creates the dev key if this file runs first
    shared = {
      ...production,
      // This database is the whole run's: the other (development) workers and clients hold only
      // the development master key, and these processes must read their data keys too. So the
      // development key stays active here and p1 is listed beside it (a worker that cannot
      // unwrap a data key fails, and so would the later tests that meet a key wrapped with p1).
      ENCRYPTION_MASTER_KEYS: `${readFileSync(devMasterKeyFile, 'utf8').trim()},${production.ENCRYPTION_MASTER_KEYS}`,
      ENCRYPTION_ACTIVE_KEY_ID: 'dev',
      ...harnessServersEnv(h),
      WHATSAPP_TOKEN: TOKEN,
      META_GRAPH_URL: meta.baseUrl,
      COALESCE_WINDOW_MS: '0',
      EMBEDDINGS: 'offline',
    };
  }, 180_000);
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await build?.remove();
    await meta?.close();
    await h?.close();
  });

  it('refuses to start in production without the required secrets, naming each', async () => {
    const api = startCompiledProcess(path.join(build.dir, 'api.js'), { NODE_ENV: 'production', DATABASE_URL: h.env.DATABASE_URL });
    processes.push(api);
    expect(await api.exited).not.toBe(0);
    for (const name of ['API_TOKEN', 'ENCRYPTION_MASTER_KEYS', 'WHATSAPP_APP_SECRET', 'SUPPRESSION_HMAC_KEY']) expect(api.output()).toContain(`${name}: is required when NODE_ENV=production`);

    const worker = startCompiledProcess(path.join(build.dir, 'worker.js'), { ...shared, TEMPORAL_TLS_CERT: '/nonexistent/client.pem', TEMPORAL_TLS_KEY: '/nonexistent/client.key' });
    processes.push(worker);
    expect(await worker.exited).not.toBe(0);
    expect(worker.output()).toContain('TEMPORAL_TLS_CERT: neither a PEM value nor a readable file');
  });

  it('answers every lead exactly once, whichever API took it and whichever worker ran it', async () => {
    const workers = [0, 1].map((i) => startCompiledProcess(path.join(build.dir, 'worker.js'), { ...shared, VECTOR_DIR: mkdtempSync(path.join(tmpdir(), `leadline-vec-${i}-`)) }));
    const ports = [await freePort(), await freePort()];
    const apis = ports.map((port) => startCompiledProcess(path.join(build.dir, 'api.js'), { ...shared, API_HOST: '127.0.0.1', API_PORT: String(port) }));
    processes.push(...workers, ...apis);
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    for (const w of workers) await eventually(async () => (w.output().includes('"msg":"worker started"') ? true : undefined), `worker start: ${w.output()}`, 90_000);
    for (const url of urls) await eventually(async () => ((await fetch(`${url}/healthz`).catch(() => null))?.status === 200 ? true : undefined), `${url}/healthz`, 90_000);

    const leads = Array.from({ length: 10 }, () => testWaId());
    for (const [i, waId] of leads.entries()) {
      const res = await postWebhook(urls[i % 2]!, waTextPayload({ waId, text: `Looking for a 2 bed apartment, lead ${i}` }), { secret: SECRET });
      expect(res.status).toBe(200);
    }
    const sendsTo = (to: string) => meta.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages') && (r.body as { to?: string } | undefined)?.to === to);
    await eventually(async () => (leads.every((waId) => sendsTo(waId).length >= 1) ? true : undefined), 'a reply to every lead', 180_000);
    // Every reply is recorded as sent once in the timeline too (so nothing is still in flight).
    await eventually(async () => {
      const rows = await h.orm.em.fork().getConnection().execute<{ n: string }[]>(
        `select count(*) as n from timeline_entries a join leads l on l.id = a.lead_id join contacts c on c.id = l.contact_id
         where c.wa_id in (${leads.map(() => '?').join(',')}) and a.direction = 'out' and a.delivery_status = 'sent'`,
        leads,
      );
      return Number(rows[0]!.n) >= leads.length ? true : undefined;
    }, 'every reply marked sent', 60_000);
    for (const waId of leads) expect(sendsTo(waId), `sends to ${waId}`).toHaveLength(1);

    // SIGTERM: the APIs drain and the workers let their activities finish; all exit 0.
    for (const p of [...apis, ...workers]) p.child.kill('SIGTERM');
    const codes = await Promise.all([...apis, ...workers].map((p) => p.exited));
    expect(codes, [...apis, ...workers].map((p) => p.output().slice(-1500)).join('\n---\n')).toEqual([0, 0, 0, 0]);
    for (const api of apis) expect(api.output()).toContain('"msg":"api stopped"');
    for (const w of workers) expect(w.output()).toContain('"msg":"worker stopped"');
  }, 400_000);
});
