// The HTML report: self-contained, escaped against hostile snapshot values, failures first and open.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { escapeHtml, renderHtml } from '../../src/render/html.ts';
import { finding, report, sampleReport } from './report-builder.ts';

/** Every tag in the page: data is escaped, so any tag here came from the template, and none may load or run anything. */
function assertNoActiveContent(html: string): void {
  const tags = html.match(/<[^>]*>/g) ?? [];
  for (const tag of tags) {
    assert.doesNotMatch(tag, /^<\/?(script|link|img|iframe|object|embed|base|svg)\b/i, tag);
    assert.doesNotMatch(tag, /\s(src|srcset|on[a-z]+)\s*=/i, tag);
  }
  assert.doesNotMatch(html, /url\(|@import/i);
}

describe('html renderer', () => {
  it('is one self-contained page that cannot fetch anything', () => {
    const html = renderHtml(sampleReport());
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.match(html, /<style>/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
    assertNoActiveContent(html);
  });

  it('escapes a hostile hostname, message, evidence and reference', () => {
    const evil = '<script>alert(1)</script>';
    const r = report(
      [
        finding({
          checkId: `c${evil}`,
          workload: `w"><img src=x onerror=alert(1)>`,
          outcome: 'fail',
          message: evil,
          evidence: [{ fact: evil, value: `"'${evil}`, source: evil }],
          remediation: [{ os: 'any', text: evil }],
          references: ['javascript:alert(1)', `https://x.invalid/"><script>`],
        }),
      ],
      { description: evil, kernelRelease: evil, os: { id: evil, versionId: evil }, capabilities: { [evil]: { value: evil, reason: evil } } },
    );
    const html = renderHtml(r);
    assertNoActiveContent(html);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.doesNotMatch(html, /href="javascript:/);
  });

  it('shows the summary, the capability table, and failing workloads first and open', () => {
    const html = renderHtml(sampleReport());
    assert.match(html, /<span class="pill fail">2 fail<\/span>/);
    assert.match(html, /<span class="pill">1 n\/a<\/span>/);
    assert.match(renderHtml(report([])), /<span class="pill zero">0 fail<\/span>/);
    assert.match(html, /<td class="name"><code>cgroupV1Controllers<\/code><\/td><td>cpu, memory<\/td>/);
    const order = ['host-wide checks', 'containerd', 'kubelet', 'calico', 'cilium'].map((n) => html.indexOf(`</span> ${n}<span class="counts">`));
    assert.ok(order.every((i) => i > 0), String(order));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.match(html, /<details class="workload fail" open><summary><span class="badge fail">fail<\/span> kubelet/);
    assert.match(html, /<details class="workload not-applicable"><summary>/);
    assert.match(html, /Fix \(any\):<\/b> Boot with cgroup v2/);
  });

  it('is well-formed markup for any message (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const html = renderHtml(report([finding({ checkId: s, workload: s, outcome: 'fail', message: s })], { description: s }));
        assertNoActiveContent(html);
        assert.ok(html.includes(escapeHtml(s)));
        // the body, void <meta> elements aside, is balanced markup an XML parser accepts
        const body = html.slice(html.indexOf('<body>'), html.indexOf('</html>'));
        assert.equal(XMLValidator.validate(body, { allowBooleanAttributes: true }), true);
      }),
      { numRuns: 200 },
    );
  });
});
