// The architecture of a kernel config: every real corpus config is an x86_64 build; other architectures are hand-made.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kernelConfigArch } from '../../../src/facts/kernel/config-arch.ts';
import { parseKernelConfig } from '../../../src/facts/kernel/parse-kernel-config.ts';
import { corpusConfigs, need } from '../../helpers/fixtures.ts';

const fragment = (lines: string[]) => parseKernelConfig(lines.join('\n') + '\n');

describe('kernelConfigArch', () => {
  it('reads x86_64 from every corpus config with a kconfig header, and no other architecture from any', (t) => {
    const configs = corpusConfigs();
    if (!need(t, configs.length > 0, 'the kernel config corpus')) return;
    const wrong: string[] = [];
    let headerless = 0;
    for (const c of configs) {
      const config = parseKernelConfig(fs.readFileSync(c, 'utf8'));
      const arch = kernelConfigArch(config);
      // dist-git configs (no header) lack the prompt-less X86_64 and carry ARM64_* options: unknown, never a guess
      if (config.headerVersion === undefined && arch === null) headerless++;
      else if (arch !== 'x86_64') wrong.push(`${path.basename(c)}: ${String(arch)}`);
    }
    assert.deepEqual(wrong, []);
    assert.ok(headerless > 0 && headerless < configs.length / 4, `${headerless} headerless configs read as unknown`);
  });

  it('tells the other architectures apart by their Kconfig symbols (hand-made fragments)', () => {
    const cases: [string[], string | null][] = [
      [['CONFIG_ARM64=y'], 'aarch64'],
      [['CONFIG_ARM=y'], 'arm'],
      [['CONFIG_S390=y', 'CONFIG_64BIT=y'], 's390x'],
      [['CONFIG_PPC64=y', 'CONFIG_CPU_LITTLE_ENDIAN=y'], 'ppc64le'],
      [['CONFIG_PPC64=y'], 'ppc64'],
      [['CONFIG_RISCV=y', 'CONFIG_64BIT=y'], 'riscv64'],
      // dist-git style: no arch symbol, and x86_64 files of that kind do carry ARM64_* options
      [['CONFIG_64BIT=y', 'CONFIG_X86_MCE=y', 'CONFIG_ARM64_E0PD=y'], null],
      // a 32-bit x86 build says X86_32, not X86_64: no QEMU name is guessed for it
      [['CONFIG_X86=y', 'CONFIG_X86_32=y', '# CONFIG_X86_64 is not set'], null],
      [['CONFIG_MODULES=y'], null],
    ];
    for (const [lines, arch] of cases) assert.equal(kernelConfigArch(fragment(lines)), arch, lines.join(' '));
  });
});
