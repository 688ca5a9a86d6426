// What `nodefit fix` says on stderr when its file sets nothing: which format would, for the target's OS, and why not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixNote } from '../../src/cli/commands/fix.ts';
import type { NeededAction } from '../../src/fix/collect-actions.ts';

// hand-made needs, as collect-actions builds them from failing findings
const loadVeth: NeededAction = { action: { kind: 'load-module', module: 'veth' }, neededBy: ['w'] };
const mountBinfmt: NeededAction = { action: { kind: 'binfmt-mount' }, neededBy: ['qemu-binfmt'] };

describe('fixNote', () => {
  it('says nothing when the file sets something, and "nothing to fix" only when nothing failed or is undecided', () => {
    assert.equal(fixNote('modules-load', ['w'], { needed: [loadVeth], unfixed: 1, undecided: 0 }, 'debian'), null);
    assert.equal(fixNote('sysctl', ['w'], { needed: [], unfixed: 0, undecided: 0 }, 'debian'), 'nothing to fix for w on this target');
  });

  it('points at the format that writes the needed fix on this OS: modules-load.d on Debian, settings on Bottlerocket', () => {
    assert.equal(fixNote('sysctl', ['w'], { needed: [loadVeth], unfixed: 0, undecided: 0 }, 'debian'), '--format sysctl has nothing to set for w on this target: the fixes needed are written by --format modules-load');
    assert.equal(fixNote('sysctl', ['w'], { needed: [loadVeth], unfixed: 0, undecided: 0 }, 'bottlerocket'), '--format sysctl has nothing to set for w on this target: the fixes needed are written by --format bottlerocket');
  });

  it('says so when no format writes the fix, and counts failures without one and undecided fixes', () => {
    assert.equal(
      fixNote('binfmt', ['qemu-binfmt'], { needed: [mountBinfmt], unfixed: 2, undecided: 1 }, 'debian'),
      "--format binfmt has nothing to set for qemu-binfmt on this target: the fixes needed are not files nodefit writes; 2 failed or warned checks have no configuration fix; 1 fix could not be decided (named in the output's comments)",
    );
    // said once even when the fixes nodefit does not write are the only thing listed
    assert.equal(
      fixNote('binfmt', ['qemu-binfmt'], { needed: [mountBinfmt], unfixed: 0, undecided: 0 }, 'debian'),
      "--format binfmt has nothing to set for qemu-binfmt on this target: the fixes needed are not files nodefit writes (named in the output's comments)",
    );
  });
});
