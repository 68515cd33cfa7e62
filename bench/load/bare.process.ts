import { createServer } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { createBareActivities } from './bare.activities';

// `bare.process.ts api|worker`: the baseline's HTTP front (POST → signalWithStart, answered
// once Temporal accepted the signal) and its worker, as separate processes like Leadline's.
const [mode] = process.argv.slice(2);
const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const taskQueue = process.env.BARE_TASK_QUEUE ?? 'bare';

if (mode === 'worker') {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: process.env.BARE_BUNDLE_PATH! },
    activities: createBareActivities(process.env.SINK_URL!),
  });
  process.send?.('ready');
  await worker.run();
} else if (mode === 'api') {
  const client = new Client({ connection: await Connection.connect({ address }) });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const { to } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string };
        await client.workflow.signalWithStart('bareLeadWorkflow', {
          workflowId: `bare-${to}`,
          taskQueue,
          signal: 'message',
          signalArgs: [{ to }],
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal', message: (err as Error).message } }));
      }
    });
  });
  server.listen(Number(process.env.BARE_PORT), '127.0.0.1', () => process.send?.('ready'));
} else {
  console.error('usage: bare.process.ts api|worker');
  process.exit(2);
}
