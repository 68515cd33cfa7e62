import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../lib/env';
import { describeConnection, temporalConnectionOptions } from '../../temporal/connection.options';
import { workerTuning } from '../../temporal/worker.options';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';

describe('Temporal connection options from env', () => {
  it('connects in plaintext to a local dev server by default', () => {
    const options = temporalConnectionOptions(parseEnv({}));
    expect(options).toEqual({ address: '127.0.0.1:7233' });
    expect(describeConnection(options)).toEqual({ address: '127.0.0.1:7233', tls: 'off', apiKey: false });
  });

  it('reads the mTLS pair and the CA from files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leadline-tls-'));
    for (const [name, body] of [['client.pem', CERT], ['client.key', KEY], ['ca.pem', CA]] as const) writeFileSync(path.join(dir, name), body);
    const env = parseEnv({
      TEMPORAL_ADDRESS: 'leadline.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'leadline.a1b2c',
      TEMPORAL_TLS_CERT: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY: path.join(dir, 'client.key'),
      TEMPORAL_TLS_CA: path.join(dir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    const options = temporalConnectionOptions(env);
    expect(options.address).toBe('leadline.a1b2c.tmprl.cloud:7233');
    expect(options.tls?.clientCertPair?.crt.toString()).toBe(CERT);
    expect(options.tls?.clientCertPair?.key.toString()).toBe(KEY);
    expect(options.tls?.serverRootCACertificate?.toString()).toBe(CA);
    expect(options.tls?.serverNameOverride).toBe('temporal.internal');
    expect(options.apiKey).toBeUndefined();
    expect(describeConnection(options)).toMatchObject({ tls: 'mtls', apiKey: false });
  });

  it('takes PEM values directly, with \\n escapes from single-line variables', () => {
    const env = parseEnv({ TEMPORAL_TLS_CERT: CERT.replace(/\n/g, '\\n'), TEMPORAL_TLS_KEY: KEY });
    const options = temporalConnectionOptions(env, () => {
      throw new Error('no file should be read');
    });
    expect(options.tls?.clientCertPair?.crt.toString()).toBe(CERT);
    expect(options.tls?.clientCertPair?.key.toString()).toBe(KEY);
  });

  it('sends an API key (Temporal Cloud) over TLS with the system roots', () => {
    const options = temporalConnectionOptions(parseEnv({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_API_KEY: 'tc-key-123' }));
    expect(options.apiKey).toBe('tc-key-123');
    expect(options.tls).toEqual({});
    // The start-up log says a key is used, never which.
    expect(JSON.stringify(describeConnection(options))).not.toContain('tc-key-123');
  });

  it('names the variable whose file cannot be read', () => {
    const env = parseEnv({ TEMPORAL_TLS_CERT: '/nonexistent/client.pem', TEMPORAL_TLS_KEY: '/nonexistent/client.key' });
    expect(() => temporalConnectionOptions(env)).toThrow(/TEMPORAL_TLS_CERT: neither a PEM value nor a readable file \(ENOENT\)/);
  });

  it('refuses half an mTLS pair, an API key in clear, and half a deployment version', () => {
    expect(() => parseEnv({ TEMPORAL_TLS_CERT: CERT })).toThrow(/TEMPORAL_TLS_KEY: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/);
    expect(() => parseEnv({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toThrow(/TEMPORAL_TLS: cannot be false/);
    expect(() => parseEnv({ TEMPORAL_DEPLOYMENT_NAME: 'leadline' })).toThrow(/TEMPORAL_BUILD_ID: .*go together/);
  });
});

describe('worker tuning from env', () => {
  it('bounds the workflow cache and sizes pollers by default', () => {
    const options = workerTuning(parseEnv({}));
    expect(options.maxCachedWorkflows).toBe(100);
    expect(options.maxConcurrentWorkflowTaskPolls).toBeLessThanOrEqual(options.maxConcurrentWorkflowTaskExecutions!);
    expect(options.workerDeploymentOptions).toBeUndefined();
  });

  it('opts into worker deployment versioning with both a deployment name and a build id', () => {
    const options = workerTuning(parseEnv({ TEMPORAL_DEPLOYMENT_NAME: 'leadline', TEMPORAL_BUILD_ID: 'abc123', TEMPORAL_MAX_CACHED_WORKFLOWS: '50' }));
    expect(options.maxCachedWorkflows).toBe(50);
    expect(options.workerDeploymentOptions).toEqual({
      version: { deploymentName: 'leadline', buildId: 'abc123' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
  });
});
