// The --format dispatcher: every format renders, unknown names are a usage error naming the choices.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATS, parseFormat, renderEveryFormat, renderReport } from '../../src/render/index.ts';
import { UserError } from '../../src/cli/user-error.ts';
import { sampleReport } from './report-builder.ts';

describe('render dispatcher', () => {
  it('renders every format to non-empty text ending in a newline', () => {
    for (const f of FORMATS) {
      const out = renderReport(sampleReport(), parseFormat(f), { color: false });
      assert.ok(out.length > 0 && out.endsWith('\n'), f);
    }
    assert.ok(renderEveryFormat(sampleReport()) > 0);
  });

  it('rejects an unknown format with the list of choices', () => {
    assert.throws(() => parseFormat('yaml'), (e: unknown) => e instanceof UserError && /choose one of text, json, sarif/.test(e.message));
  });
});
