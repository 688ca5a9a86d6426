// Renders an nft-lint result as text (file:line:col lines, like a compiler), JSON, or SARIF 2.1.0 for code scanning.
import * as nodePath from 'node:path';
import type { Log, Result } from 'sarif';
import { TOOL } from '../version.ts';
import type { LintResult } from './lint.ts';
import { formatLoc } from './ruleset.ts';

export const LINT_FORMATS = ['text', 'json', 'sarif'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export const NFT_LINT_RULE_ID = 'nft-chain-type-hook';
const HELP_URI = 'https://github.com/submariner-io/submariner/issues/3355';

export function renderLintText(r: LintResult, target: string): string {
  const lines: string[] = [];
  for (const c of r.chains) {
    if (c.outcome === 'pass') continue;
    lines.push(`${formatLoc(c.at)}: ${c.outcome === 'fail' ? 'error' : 'unknown'}: ${c.message}`);
    if (c.alternative !== undefined) lines.push(`  nearest valid alternative: ${c.alternative}`);
  }
  for (const w of r.warnings) lines.push(`${formatLoc(w.at)}: warning: ${w.message}`);
  const n = r.chains.length;
  lines.push(
    `${n} base chain${n === 1 ? '' : 's'} in ${r.files.length} file${r.files.length === 1 ? '' : 's'} checked against ${target}: ` +
      `${r.summary.fail} rejected, ${r.summary.unknown} unknown, ${r.summary.pass} accepted`,
  );
  return lines.join('\n') + '\n';
}

export function renderLintJson(r: LintResult, target: string): string {
  return JSON.stringify({ schemaVersion: 1, tool: { name: 'nodefit', version: TOOL.version }, target, ...r }, null, 2) + '\n';
}

export function renderLintSarif(r: LintResult, target: string, cwd: string): string {
  const uri = (f: string) => (nodePath.isAbsolute(f) ? nodePath.relative(cwd, f).split(nodePath.sep).join('/') : f);
  const results: Result[] = r.chains
    .filter((c) => c.outcome !== 'pass')
    .map((c) => ({
      ruleId: NFT_LINT_RULE_ID,
      level: c.outcome === 'fail' ? 'error' : 'note',
      message: { text: c.alternative === undefined ? c.message : `${c.message}. Nearest valid alternative: ${c.alternative}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(c.at.file) }, region: { startLine: c.at.line, startColumn: c.at.col } } }],
    }));
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'nodefit',
            version: TOOL.version,
            rules: [
              {
                id: NFT_LINT_RULE_ID,
                name: 'NftChainTypeHook',
                shortDescription: { text: 'nft base chain the target kernel will reject' },
                fullDescription: { text: `Base chains whose family, type, hook or priority the kernel refuses (target: ${target}).` },
                helpUri: HELP_URI,
                defaultConfiguration: { level: 'error' },
              },
            ],
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
