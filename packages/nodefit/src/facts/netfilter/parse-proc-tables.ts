// Parses the small procfs lists netfilter facts come from: /proc/net/ip*_tables_names and /proc/modules.

export type NamesResult = { readonly ok: true; readonly names: string[] } | { readonly ok: false; readonly reason: string };

/** One table name per line (net/netfilter/x_tables.c xt_table_seq_show): filter, nat, mangle, raw, security. */
export function parseTableNames(text: string): NamesResult {
  const names: string[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i] as string;
    if (t === '') continue;
    // XT_TABLE_MAXNAMELEN is 32 including the NUL
    if (!/^[A-Za-z0-9_-]{1,31}$/.test(t)) {
      return { ok: false, reason: `line ${i + 1} is not a table name: ${JSON.stringify(t.slice(0, 60))}` };
    }
    if (!names.includes(t)) names.push(t);
  }
  return { ok: true, names };
}

/** Whether /proc/modules lists a module: "name size refcount deps state address" per line (kernel/module/procfs.c). */
export function procModulesHas(text: string, module: string): boolean {
  const prefix = `${module} `;
  return text.split('\n').some((l) => l.startsWith(prefix));
}

/** modules.builtin lists built-in objects as paths ("kernel/net/netfilter/nf_tables.ko"); '-' and '_' are alike. */
export function modulesBuiltinHas(text: string, module: string): boolean {
  const want = module.replace(/-/g, '_');
  return text.split('\n').some((l) => {
    const base = l.trim().split('/').pop() ?? '';
    return base.replace(/\.ko$/, '').replace(/-/g, '_') === want;
  });
}
