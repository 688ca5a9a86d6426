// Bearer-token check for agents: constant-time comparison, token from a file or the environment.
import { timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';

export function loadToken(tokenFile: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (tokenFile !== undefined) {
    const t = fs.readFileSync(tokenFile, 'utf8').trim();
    if (t === '') throw new Error(`${tokenFile}: the token file is empty`);
    return t;
  }
  const fromEnv = env.NODEFIT_TOKEN?.trim();
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  if (header === undefined || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
