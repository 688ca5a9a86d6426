// Why a fact of a running system is unknown for an offline target, worded once for every collector.
import type { CollectContext } from './collect-context.ts';

/**
 * Its files may well be there (an unpacked root has usr/sbin/nft and etc/binfmt.d): what is missing is a running
 * system they would describe.
 */
export function offlineReason(ctx: Pick<CollectContext, 'fs'>, what = '/proc or /sys'): string {
  return `offline target (${ctx.fs.label}): not a running system, so nodefit does not read its ${what}`;
}
