import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { MailDev } from 'maildev';
import { dataDir } from '../../lib/paths';
import { freePort } from '../../scripts/services';

export interface CaughtMail {
  subject: string;
  to: Array<{ address: string }>;
  text: string;
}

export interface MailServer {
  smtpUrl: string;
  /** Waits for the newest mail to `to` and returns it. */
  waitFor(to: string, timeoutMs?: number): Promise<CaughtMail>;
  /** Every mail caught so far to `to`, oldest first. */
  list(to: string): Promise<CaughtMail[]>;
  stop(): Promise<void>;
}

/** maildev on free ports (SMTP + its web API), the same local mail server `make dev` runs. */
export async function startMailServer(): Promise<MailServer> {
  const [smtp, web] = [await freePort(), await freePort()];
  const dir = path.join(dataDir, 'test', `maildev-${randomBytes(4).toString('hex')}`);
  const md = new MailDev({ smtp, web, ip: '127.0.0.1', webIp: '127.0.0.1', silent: true, mailDirectory: dir });
  await md.start();
  const list = async (to: string) => {
    const all = (await (await fetch(`http://127.0.0.1:${web}/api/email`)).json()) as CaughtMail[];
    return all.filter((m) => m.to.some((t) => t.address.toLowerCase() === to.toLowerCase()));
  };
  return {
    smtpUrl: `smtp://127.0.0.1:${smtp}`,
    list,
    async waitFor(to, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = (await (await fetch(`http://127.0.0.1:${web}/api/email`)).json()) as CaughtMail[];
        const mine = all.filter((m) => m.to.some((t) => t.address.toLowerCase() === to.toLowerCase()));
        if (mine.length) return mine[mine.length - 1]!;
        if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await md.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
