// The dashboard in real headless Chromium against a real fleet server: load, filter, open a node, run a what-if.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { Snapshot } from 'nodefit';
import { startServer } from '../../server/src/index.ts';
import { snapshotFor, wire } from '../../server/test/helpers/snapshots.ts';

// page.evaluate/waitForFunction bodies run in the browser; these names exist there, not in Node
declare const document: { querySelectorAll(selector: string): { length: number } };
declare const window: object;

const CHROMIUM = process.env.NODEFIT_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.resolve(import.meta.dirname, '../../../test-output/dashboard');
const TOKEN = 'dashboard-token';

/** A fleet with variety: other OS ids and kernel releases on top of this machine's real facts. */
async function fleet(): Promise<Snapshot[]> {
  const variants: Array<[string, string, string]> = [
    ['worker-1', 'debian', '6.1.0-27-amd64'],
    ['worker-2', 'debian', '6.1.0-27-amd64'],
    ['worker-3', 'ubuntu', '6.8.0-31-generic'],
    ['worker-4', 'bottlerocket', '6.1.107'],
    ['worker-5', 'ubuntu', '6.8.0-31-generic'],
    // hostile values from an untrusted agent: must show up as text, never as markup
    ['worker-6', '<img src=x onerror="window.__pwned=1">', '6.12.0<script>window.__pwned=2</script>'],
  ];
  const out: Snapshot[] = [];
  for (const [name, osId, release] of variants) {
    const s = structuredClone(await snapshotFor(name));
    const rel = s.facts.os.release;
    s.facts.os.release = {
      state: 'known',
      source: '/etc/os-release',
      value: { ...(rel.state === 'known' ? rel.value : { idLike: [], family: 'other' as const }), id: osId, family: 'other' },
    };
    s.facts.kernel.release = { state: 'known', value: release, source: '/proc/sys/kernel/osrelease' };
    out.push(s);
  }
  return out;
}

test('dashboard: fleet matrix, filters, node page, what-if, charts; no HTML injection', async (t) => {
  if (!fs.existsSync(CHROMIUM)) {
    const msg = `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
    if (process.env.NODEFIT_REQUIRE_FIXTURES === '1') throw new Error(msg);
    t.skip(msg);
    return;
  }
  assert.ok(fs.existsSync(path.resolve(import.meta.dirname, '../dist/index.html')), 'run `npm run build` first (builds the dashboard)');
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-web-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const server = await startServer({ db: path.join(dir, 'fleet.db'), port: 0, host: '127.0.0.1', env: { NODEFIT_TOKEN: TOKEN }, log: () => undefined });
  t.after(() => server.close());
  const snaps = await fleet();
  for (const s of snaps) {
    const res = await fetch(`${server.url}/api/v1/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: wire(s),
    });
    assert.equal(res.status, 201, await res.text());
  }
  await server.evaluator.drain();

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  await t.test('load: every node is a matrix row, charts drawn', async () => {
    await page.goto(server.url);
    await page.locator('[data-testid=matrix] tbody tr').nth(5).waitFor();
    assert.equal(await page.locator('[data-testid=matrix] tbody tr').count(), 6);
    assert.equal(await page.locator('[data-testid=node-count]').innerText(), '6');
    assert.ok((await page.locator('canvas').count()) >= 2);
    await page.screenshot({ path: path.join(SHOTS, 'fleet.png'), fullPage: true });
  });

  await t.test('filter by OS and kernel narrows the matrix', async () => {
    await page.selectOption('select[name=os]', 'ubuntu');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=matrix] tbody tr').length === 2);
    const names = await page.locator('[data-testid=matrix] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')));
    assert.deepEqual(names, ['worker-3', 'worker-5']);
    await page.screenshot({ path: path.join(SHOTS, 'fleet-filtered.png'), fullPage: true });
    await page.selectOption('select[name=os]', '');
    await page.selectOption('select[name=kernel]', '6.1.0-27-amd64');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=matrix] tbody tr').length === 2);
    await page.selectOption('select[name=kernel]', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=matrix] tbody tr').length === 6);
  });

  await t.test('open a node: findings with evidence and remediation', async () => {
    await page.click('a[href="#/node/worker-4"]');
    await page.locator('[data-testid=node-name]').waitFor();
    assert.equal(await page.locator('[data-testid=node-name]').innerText(), 'worker-4');
    await page.check('.toggle input');
    assert.ok((await page.locator('.finding').count()) > 0, 'the node page lists findings');
    await page.screenshot({ path: path.join(SHOTS, 'node.png'), fullPage: true });
  });

  await t.test('what-if: candidate kernel against chosen nodes', async () => {
    await page.click('nav a[href="#/what-if"]');
    await page.locator('textarea[name=candidate]').waitFor();
    const candidate = structuredClone(snaps[0]!);
    candidate.facts.kernel.release = { state: 'known', value: '6.12.117+deb12-amd64', source: 'candidate' };
    await page.fill('textarea[name=candidate]', wire(candidate));
    await page.click('button:has-text("Run what-if")');
    await page.locator('[data-testid=what-if-results] tbody tr').nth(5).waitFor();
    assert.equal(await page.locator('[data-testid=what-if-results] tbody tr').count(), 6);
    await page.screenshot({ path: path.join(SHOTS, 'what-if.png'), fullPage: true });
  });

  await t.test('untrusted snapshot values are shown as text, never run', async () => {
    await page.goto(`${server.url}/#/`);
    await page.locator('[data-testid=matrix] tbody tr').nth(5).waitFor();
    const row = page.locator('tr[data-node="worker-6"]');
    assert.match(await row.innerText(), /<img src=x onerror=/);
    assert.match(await row.innerText(), /<script>window.__pwned=2<\/script>/);
    assert.equal(await page.locator('tr[data-node="worker-6"] img').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(dialogs, []);
  });
});
