// `nodefit nft-lint`: validate an nft ruleset's base chains against the target kernel (file:line:col, nearest fix).
import * as nodePath from 'node:path';
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { addTargetOptions, collectList, targetSpecFromOptions } from '../target-options.ts';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../user-error.ts';
import { loadCliTarget } from '../load-cli-target.ts';

export const nftLintCommand: CommandSpec = {
  name: 'nft-lint',
  compiler: 'baseline',
  args: '<FILE>',
  summary: "validate an nft ruleset's base chains against the target kernel",
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .option('-f, --format <F>', 'text, json or sarif', 'text')
      .option('-I, --include-path <DIR>', 'also search DIR for bare include names (like nft -I; repeatable)', collectList);
  },
  async run(args, opts, io) {
    const { LINT_FORMATS, renderLintJson, renderLintSarif, renderLintText } = await import('../../nft/render-lint.ts');
    const format = typeof opts.format === 'string' ? opts.format : 'text';
    if (!(LINT_FORMATS as readonly string[]).includes(format)) {
      throw new UserError(`unknown --format ${JSON.stringify(format)} for nft-lint; choose one of ${LINT_FORMATS.join(', ')}`);
    }
    const file = args[0];
    if (file === undefined) throw new UserError('nft-lint needs a ruleset FILE');
    const { parseRulesetFile } = await import('../../nft/parse-ruleset.ts');
    const { NftParseError } = await import('../../nft/parse-error.ts');
    const includeDirs = Array.isArray(opts.includePath) ? (opts.includePath as string[]).map((d) => nodePath.resolve(io.cwd, d)) : [];
    let parsed;
    try {
      parsed = parseRulesetFile(nodePath.resolve(io.cwd, file), { includeDirs });
    } catch (e) {
      if (e instanceof NftParseError) throw new UserError(`${nodePath.relative(io.cwd, e.file) || e.file}:${e.line}:${e.col}: ${e.detail}`);
      throw e;
    }
    // locations are shown relative to where the user ran the command, like a compiler does
    const rel = (p: string) => {
      const r = nodePath.relative(io.cwd, p);
      return r.startsWith('..') ? p : r;
    };
    parsed = {
      ...parsed,
      files: parsed.files.map(rel),
      chains: parsed.chains.map((c) => ({ ...c, at: { ...c.at, file: rel(c.at.file) }, base: c.base && { ...c.base, at: { ...c.base.at, file: rel(c.base.at.file) } } })),
      warnings: parsed.warnings.map((w) => ({ ...w, at: { ...w.at, file: rel(w.at.file) } })),
    };
    const { describeTarget } = await import('../../targets/target-spec.ts');
    const { targetVerdicts } = await import('../../nft/target-matrix.ts');
    const { derivedNftCells } = await import('../../nft/derived-cells.ts');
    const { lintRuleset } = await import('../../nft/lint.ts');
    const spec = targetSpecFromOptions(opts);
    const snapshot = await loadCliTarget(spec, io);
    const release = snapshot.facts.kernel.release;
    const target = `${describeTarget(spec)}${release.state === 'known' ? ` (kernel ${release.value})` : ''}`;
    const result = lintRuleset(parsed, targetVerdicts(snapshot.facts, derivedNftCells(snapshot.facts)));
    io.stdout(format === 'json' ? renderLintJson(result, target) : format === 'sarif' ? renderLintSarif(result, target, '.') : renderLintText(result, target));
    return result.summary.fail > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
