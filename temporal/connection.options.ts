import { readFileSync } from 'node:fs';
import { EnvError, type Env } from '../lib/env';

/** What both Connection.connect (client) and NativeConnection.connect (worker) take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  apiKey?: string;
}

type TemporalEnv = Pick<Env, 'TEMPORAL_ADDRESS' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_SERVER_NAME' | 'TEMPORAL_API_KEY'>;

/**
 * Connection options for a real cluster, from env: TLS with a custom CA, mTLS (Temporal Cloud's
 * certificate auth, most self-hosted clusters) and API keys (Temporal Cloud). A certificate may be
 * given as a file path (mounted secret) or as the PEM itself (platforms that only have variables);
 * an unreadable file fails start-up with the variable's name, never a TLS error at the first call.
 */
export function temporalConnectionOptions(env: TemporalEnv, readFile: (path: string) => Buffer = readFileSync): TemporalConnectionOptions {
  const pem = (name: keyof TemporalEnv, value: string): Buffer => {
    if (value.trimStart().startsWith('-----BEGIN')) return Buffer.from(value.replace(/\\n/g, '\n'));
    try {
      return readFile(value);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new EnvError(`Invalid environment configuration:\n  - ${name}: neither a PEM value nor a readable file (${code})`);
    }
  };
  const tlsOn = env.TEMPORAL_TLS ?? Boolean(env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_CA || env.TEMPORAL_TLS_SERVER_NAME);
  const options: TemporalConnectionOptions = { address: env.TEMPORAL_ADDRESS };
  if (tlsOn) {
    options.tls = {
      ...(env.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME }),
      ...(env.TEMPORAL_TLS_CA && { serverRootCACertificate: pem('TEMPORAL_TLS_CA', env.TEMPORAL_TLS_CA) }),
      ...(env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY && {
        clientCertPair: { crt: pem('TEMPORAL_TLS_CERT', env.TEMPORAL_TLS_CERT), key: pem('TEMPORAL_TLS_KEY', env.TEMPORAL_TLS_KEY) },
      }),
    };
  }
  if (env.TEMPORAL_API_KEY) options.apiKey = env.TEMPORAL_API_KEY;
  return options;
}

/** Where the process connects, for start-up logs: never the key or a certificate. */
export function describeConnection(options: TemporalConnectionOptions): Record<string, unknown> {
  return {
    address: options.address,
    tls: options.tls ? (options.tls.clientCertPair ? 'mtls' : 'tls') : 'off',
    apiKey: Boolean(options.apiKey),
  };
}
