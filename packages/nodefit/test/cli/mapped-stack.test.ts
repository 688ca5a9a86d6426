// NODEFIT_DEBUG=1 traces from the built CLI must name src/ files and lines, not positions in the minified bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mappedStack } from '../../src/cli/mapped-stack.ts';
import { tempDir } from '../helpers/fixtures.ts';

const MAIN = path.resolve(import.meta.dirname, '../../dist/cli-main.cjs');
const SKIP = !fs.existsSync(MAIN) && 'dist/cli-main.cjs missing: run npm run build';

function frameAt(file: string, needle: string): string {
  const js = fs.readFileSync(file, 'utf8');
  const at = js.indexOf(needle);
  const before = js.slice(0, at);
  return `    at Qh (${file}:${before.split('\n').length}:${at - before.lastIndexOf('\n')})`;
}

test('a frame in the bundle is mapped to the src/ line it was built from; other frames stay as they are', { skip: SKIP }, () => {
  const stack = ['Error: boom', frameAt(MAIN, 'unknown --fail-on'), '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)'].join('\n');
  const lines = mappedStack(stack).split('\n');
  const checkTs = path.resolve(import.meta.dirname, '../../src/cli/commands/check.ts');
  const want = fs.readFileSync(checkTs, 'utf8').split('\n').findIndex((l) => l.includes('unknown --fail-on')) + 1;
  assert.match(lines[1]!, new RegExp(`^    at Qh \\(${checkTs.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${want}:\\d+\\)$`));
  assert.equal(lines[2], '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)');
  assert.equal(lines[0], 'Error: boom');
});

test('without a readable source map the frame is left as it was', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'cli-main.cjs');
  fs.writeFileSync(file, '(function () {\nthrow new Error("x")\n})');
  const frame = `    at f (${file}:2:1)`;
  assert.equal(mappedStack(frame), frame);
  fs.writeFileSync(`${file}.map`, '{ not json');
  assert.equal(mappedStack(frame), frame);
});
