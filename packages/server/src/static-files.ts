// Serves the built dashboard (packages/web/dist) from memory; paths cannot leave that directory.
import * as fs from 'node:fs';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export function staticFilesFrom(dir: string): ((p: string) => { body: Uint8Array; type: string } | undefined) | undefined {
  if (!fs.existsSync(path.join(dir, 'index.html'))) return undefined;
  const files = new Map<string, { body: Uint8Array; type: string }>();
  const walk = (d: string, prefix: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full, `${prefix}/${e.name}`);
      else if (e.isFile()) files.set(`${prefix}/${e.name}`, { body: fs.readFileSync(full), type: TYPES[path.extname(e.name)] ?? 'application/octet-stream' });
    }
  };
  walk(dir, '');
  return (p) => files.get(p);
}
