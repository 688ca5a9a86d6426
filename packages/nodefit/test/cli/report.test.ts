// `nodefit report` against a server older than the agent: the server drops the facts it has no field for and says
// which (packages/server drop-unknown-fields.ts); the agent passes that on, so a half-finished upgrade is visible.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run.ts';

/** Hand-made stand-in for an older server: answers every upload as stored, naming what it dropped. */
async function olderServer(dropped: unknown): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ node: 'n1', snapshotId: 1, duplicate: false, ...(dropped === undefined ? {} : { dropped }) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address() as { port: number };
  return { url: `http://127.0.0.1:${a.port}`, bodies, close: () => new Promise((r) => server.close(() => r())) };
}

test('the agent logs the fields an older server dropped, one line, and says to upgrade the server', async (t) => {
  const s = await olderServer(['/facts/kernel/swaps', '/facts/netfilter/sysctls/x\nforged line']);
  t.after(() => s.close());
  const io = memoryIo({ NODEFIT_TOKEN: 't' });
  const code = await runCli(['report', '--root', '/', '--server', s.url, '--node-name', 'n1'], io);
  assert.equal(code, 0, io.err);
  assert.equal(s.bodies.length, 1);
  const lines = io.err.split('\n').filter((l) => l !== '');
  assert.match(lines[0] ?? '', /sent snapshot of n1 \(HTTP 201\)/);
  assert.match(lines[1] ?? '', /runs an older release and dropped what it has no field for: \/facts\/kernel\/swaps, \/facts\/netfilter\/sysctls\/x\\nforged line; upgrade the server/);
  assert.equal(lines.length, 2, 'a newline in the server answer cannot start a log line of its own');
});

test('a server that dropped nothing, or answers something else, adds no line', async (t) => {
  for (const dropped of [undefined, [], 'not a list', [42]]) {
    const s = await olderServer(dropped);
    t.after(() => s.close());
    const io = memoryIo({ NODEFIT_TOKEN: 't' });
    assert.equal(await runCli(['report', '--root', '/', '--server', s.url, '--node-name', 'n1'], io), 0);
    assert.equal(io.err.split('\n').filter((l) => l !== '').length, 1, `${JSON.stringify(dropped)}: ${io.err}`);
  }
});
