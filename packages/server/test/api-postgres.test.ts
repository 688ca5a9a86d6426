import { after } from 'node:test';
import { apiSuite } from './api-suite.ts';
import { startPostgres, type RunningPostgres } from './helpers/postgres.ts';

let pg: RunningPostgres | undefined;
after(() => pg?.stop());
apiSuite('postgres', async () => {
  pg = await startPostgres();
  if (pg === undefined) {
    const msg = 'PostgreSQL server binaries are not installed (apt-get install postgresql)';
    if (process.env.NODEFIT_REQUIRE_FIXTURES === '1') throw new Error(`NODEFIT_REQUIRE_FIXTURES=1 but ${msg}`);
    console.log(`# SKIP ${msg}`);
    return undefined;
  }
  return pg.url;
});
