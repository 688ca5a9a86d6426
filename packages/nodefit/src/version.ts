// The tool's own name and version, stamped into every snapshot and report.
import pkg from '../package.json' with { type: 'json' };

export const TOOL = { name: 'nodefit', version: pkg.version } as const;
