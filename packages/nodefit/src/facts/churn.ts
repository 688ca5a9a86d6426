// What a busy node rewrites between two checks without changing any finding: every pod adds mounts to the mount
// table, moves module reference counts and cgroup counts. The run memo (cli/run-memo.ts) compares these files by
// the part of them that collectors keep, so an npd plugin or a cron job on a node whose pods come and go still replays.
import { parseMountsRead } from './cgroups/parse-mountinfo.ts';

/**
 * A file's bytes reduced to what collection keeps of them: two contents with the same projection lead to the same
 * report. Each projection tags every line it kept whole ("!") apart from the lines it reduced ("="), so a reduced
 * line can never equal a line that was read as it stands.
 */
export type ChurnProjection = (data: Buffer) => string;

/**
 * /proc/modules, "name size refcount deps state address" (kernel/module/procfs.c m_show), without the reference
 * count: parseProcModules keeps it in the snapshot, but no capability, check or renderer reads it (asserted over the
 * whole pipeline in test/facts/churn.test.ts). Only a count the parser accepts (1 to 15 digits, a safe integer) is
 * dropped, so a line the parser skips for its count stays whole.
 */
const MODULE_LINE = /^(\s*\S+\s+\S+\s+)\d{1,15}(\s.*)?$/;

/**
 * /proc/cgroups, "subsys_name hierarchy num_cgroups enabled" (kernel/cgroup/cgroup-v1.c proc_cgroupstats_show),
 * without num_cgroups. Only a line parseProcCgroups accepts whole is reduced: a refused line is quoted in the reason
 * the fact gives, count and all.
 */
const CGROUPS_LINE = /^(\s*[a-z0-9_]+\s+\d{1,10}\s+)\d{1,10}(\s+[01]\s*)$/;

function lineByLine(re: RegExp): ChurnProjection {
  return (data) =>
    data
      .toString('utf8')
      .split('\n')
      .map((line) => {
        const m = re.exec(line);
        // the text before and after the dropped field, as JSON so no two reductions read alike
        return m === null ? `!${line}` : `=${JSON.stringify([m[1] ?? '', m[2] ?? ''])}`;
      })
      .join('\n');
}

/** The mount table as read-mountinfo.ts hands it on: the cgroup and binfmt_misc mounts, or why the file was refused. */
const mountsRead: ChurnProjection = (data) => JSON.stringify(parseMountsRead(data.toString('utf8')));

/** Paths as collectors ask a HostFs for them (under any --root). */
export const CHURN_PROJECTIONS: ReadonlyMap<string, ChurnProjection> = new Map([
  ['/proc/1/mountinfo', mountsRead],
  ['/proc/self/mountinfo', mountsRead],
  ['/proc/modules', lineByLine(MODULE_LINE)],
  ['/proc/cgroups', lineByLine(CGROUPS_LINE)],
]);
