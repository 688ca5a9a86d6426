// Writes CLI output straight to a file descriptor: process.stdout is built from Node's stream modules on first use,
// which costs a short `nodefit check` more than producing its whole report.
import * as nodeFs from 'node:fs';

/** Documentation/admin-guide/devices.txt: 1 char = memory devices (/dev/null, /dev/zero, /dev/full). */
const MEMORY_DEVICES_MAJOR = 1;

export interface FdOutput {
  write(text: string): void;
  /** Whether the descriptor is a terminal; asked lazily, because only colour decisions need it. */
  isTTY(): boolean;
  /** Everything written has reached the descriptor (nothing waits in a stream's buffer). */
  drained(): boolean;
}

export interface FdOutputOptions {
  readonly fd: number;
  /** The stream to hand over to when the descriptor is non-blocking (EAGAIN): it knows how to wait for the reader. */
  readonly stream: () => NodeJS.WritableStream & { readonly writableLength: number };
  /** The reader went away (`nodefit scan | head`): not an error worth a message. */
  readonly onClosed: () => void;
}

export function fdOutput(options: FdOutputOptions): FdOutput {
  let stream: (NodeJS.WritableStream & { readonly writableLength: number }) | undefined;
  let tty: boolean | undefined;
  return {
    write(text) {
      if (stream !== undefined) {
        stream.write(text);
        return;
      }
      const data = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < data.length) {
        try {
          off += nodeFs.writeSync(options.fd, data, off, data.length - off);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') {
            options.onClosed();
            return;
          }
          if (code !== 'EAGAIN') throw e;
          // an inherited non-blocking pipe that is full: the stream waits for it without spinning, and keeps order
          // because every later write goes the same way
          stream = options.stream();
          stream.write(data.subarray(off));
          return;
        }
      }
    },
    drained() {
      return stream === undefined || stream.writableLength === 0;
    },
    isTTY() {
      if (tty === undefined) {
        // Pipes, files, sockets and /dev/null (Linux memory devices, major 1) are answered by one fstat; only another
        // character device needs the tty module, which loads Node's network and stream modules.
        let maybeTerminal: boolean;
        try {
          const st = nodeFs.fstatSync(options.fd);
          maybeTerminal = st.isCharacterDevice() && ((st.rdev >> 8) & 0xfff) !== MEMORY_DEVICES_MAJOR;
        } catch {
          maybeTerminal = false;
        }
        tty = maybeTerminal && process.getBuiltinModule('node:tty').isatty(options.fd);
      }
      return tty;
    },
  };
}
