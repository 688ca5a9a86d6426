// Probe: do binfmt_misc registrations outlive the last unmount? Measured on a private instance in a new user namespace.
import { known, unknown, type Fact } from '../facts/fact.ts';
import { firstLine } from './exec.ts';
import { runInNewNamespaces, withScratchDir } from './netns-script.ts';

/**
 * Since 21ca59b365c0 "binfmt_misc: enable sandboxed mounts" (v6.7) each user namespace mounting binfmt_misc gets its
 * own instance, so a handler registered here never reaches the host's instance. Older kernels refuse the mount in a
 * non-initial user namespace; the probe then answers unknown rather than fall back to the host instance.
 * Handler: extension type (no magic), interpreter /bin/true, no F flag (nothing is opened); the name is unique.
 * Output words: mount-failed, register-failed, not-registered, survived, cleared.
 */
const SCRIPT = `mnt=$1
if ! mount -t binfmt_misc binfmt_misc "$mnt" 2>"$mnt.err"; then echo mount-failed; exit 0; fi
if ! printf ':nodefit-probe:E::nodefitprobe::/bin/true:' >"$mnt/register" 2>"$mnt.err"; then umount "$mnt"; echo register-failed; exit 0; fi
if [ ! -e "$mnt/nodefit-probe" ]; then umount "$mnt"; echo not-registered; exit 0; fi
umount "$mnt" || { echo umount-failed; exit 0; }
if ! mount -t binfmt_misc binfmt_misc "$mnt" 2>"$mnt.err"; then echo remount-failed; exit 0; fi
if [ -e "$mnt/nodefit-probe" ]; then echo survived; echo -1 >"$mnt/nodefit-probe"; else echo cleared; fi
umount "$mnt"
`;

export function probeBinfmtLifetime(): Fact<boolean> {
  const tried = ['unshare --user --map-root-user --mount', 'mount -t binfmt_misc (private instance)'];
  return withScratchDir('nodefit-binfmt-probe-', (s) => {
    const script = s.write('probe.sh', SCRIPT);
    const mnt = s.mkdir('mnt');
    const mk = runInNewNamespaces(['--user', '--map-root-user', '--mount'], script, [mnt]);
    if (!mk.ok) return unknown(tried, mk.reason);
    const word = mk.run.stdout.trim().split('\n').pop() ?? '';
    const err = firstLine(s.read('mnt.err') ?? '') || firstLine(mk.run.stderr);
    switch (word) {
      case 'survived':
        return known(true, 'binfmt_misc in a new user + mount namespace: registered, unmounted, mounted again: handler still there');
      case 'cleared':
        return known(false, 'binfmt_misc in a new user + mount namespace: registered, unmounted, mounted again: handler gone');
      case 'mount-failed':
        return unknown(tried, `binfmt_misc cannot be mounted in a user namespace (kernels before 6.7 have no sandboxed instances${err ? `; ${err}` : ''}); probing the host's own instance is not allowed`);
      default:
        return unknown(tried, `binfmt_misc probe stopped at "${word || 'no output'}"${err ? `: ${err}` : ''}`);
    }
  });
}
