import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { after } from 'node:test';
import { apiSuite } from './api-suite.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-sqlite-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
apiSuite('sqlite', () => Promise.resolve(path.join(dir, 'fleet.db')));
