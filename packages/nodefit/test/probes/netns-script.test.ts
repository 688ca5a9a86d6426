// The scaffolding every probe uses: scratch dirs disappear even when the probe throws, and nothing runs without a new
// network or user namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runInNewNamespaces, withScratchDir } from '../../src/probes/netns-script.ts';

test('a scratch dir is removed after the probe, also when the probe throws', () => {
  let seen = '';
  withScratchDir('nodefit-test-scratch-', (s) => {
    seen = s.dir;
    s.write('a', 'x');
    s.mkdir('m');
    assert.equal(s.read('a'), 'x');
    assert.equal(s.read('missing'), null);
  });
  assert.equal(fs.existsSync(seen), false);
  assert.throws(() =>
    withScratchDir('nodefit-test-scratch-', (s) => {
      seen = s.dir;
      throw new Error('probe failed');
    }),
  );
  assert.equal(fs.existsSync(seen), false);
});

test('a script is never run in the host namespaces: flags must create a network or user namespace', () => {
  assert.throws(() => runInNewNamespaces(['--mount'], '/bin/true', []), /refusing to run a probe outside a new namespace/);
  assert.throws(() => runInNewNamespaces([], '/bin/true', []), /refusing/);
});
