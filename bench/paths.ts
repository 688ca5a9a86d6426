// Where the benchmarks find the built CLI and the fixtures.
import * as path from 'node:path';
import * as os from 'node:os';

export const REPO = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(REPO, 'packages/nodefit/dist/cli.cjs');
export const FIXTURES = path.resolve(process.env.NODEFIT_FIXTURES ?? path.join(os.homedir(), '.cache', 'nodefit-fixtures'));
export const CORPUS = path.resolve(process.env.NODEFIT_CORPUS ?? path.join(REPO, '..', 'shared', 'corpus'));
