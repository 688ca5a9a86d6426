// STUB: placeholder collector for the modules area; its owner replaces it with the real one.
import type { CollectContext } from '../collect-context.ts';
import { unknown } from '../fact.ts';
import { RootFs } from '../../host/root-fs.ts';
import type { ModuleFacts } from './schema.ts';

export function collectModules(_ctx: CollectContext): ModuleFacts {
  const todo = unknown([], 'not collected yet');
  return {
    dir: todo,
    files: todo,
    deps: todo,
    builtin: todo,
    builtinModinfo: todo,
    aliases: todo,
    softdeps: todo,
    order: todo,
    loaded: todo,
    sysModule: todo,
    kernelDecompression: todo,
    modulesDisabled: todo,
    lockdown: todo,
    sigEnforce: todo,
    modprobe: todo,
  };
}

/** STUB: module facts from a real /lib/modules/<release> directory given with --modules. */
export function collectModuleTreeDir(dir: string): ModuleFacts {
  return collectModules({ fs: new RootFs(dir), release: undefined, offline: true });
}
