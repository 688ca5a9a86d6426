// The CLI's direct descriptor output: every byte arrives once and in order, whatever the descriptor does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fdOutput } from '../../src/cli/fd-output.ts';

/** A stand-in for process.stdout that keeps what it is given. */
function recordingStream(): NodeJS.WritableStream & { writableLength: number; got: Buffer[] } {
  const got: Buffer[] = [];
  return {
    got,
    writableLength: 0,
    write(chunk: string | Uint8Array) {
      got.push(Buffer.from(chunk));
      return true;
    },
  } as unknown as NodeJS.WritableStream & { writableLength: number; got: Buffer[] };
}

function withFifo(body: (fifo: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-fd-'));
  try {
    const fifo = path.join(dir, 'p');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    body(fifo);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('text reaches a file whole, multi-byte characters included, and a file is no terminal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-fd-'));
  try {
    const file = path.join(dir, 'out');
    const fd = fs.openSync(file, 'w');
    const out = fdOutput({ fd, stream: () => assert.fail('a file never needs the stream'), onClosed: () => assert.fail('a file has no reader to lose') });
    out.write('nodefit ✓ 6.12.117+deb12\n');
    out.write('x'.repeat(200_000));
    fs.closeSync(fd);
    assert.equal(fs.readFileSync(file, 'utf8'), 'nodefit ✓ 6.12.117+deb12\n' + 'x'.repeat(200_000));
    assert.equal(out.isTTY(), false);
    assert.equal(out.drained(), true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('/dev/null is a character device but no terminal', () => {
  const fd = fs.openSync('/dev/null', 'w');
  try {
    assert.equal(fdOutput({ fd, stream: () => assert.fail('unused'), onClosed: () => undefined }).isTTY(), false);
  } finally {
    fs.closeSync(fd);
  }
});

test('a full non-blocking pipe hands the rest, and every later write, to the stream in order', () => {
  withFifo((fifo) => {
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    try {
      const stream = recordingStream();
      const out = fdOutput({ fd: writer, stream: () => stream, onClosed: () => assert.fail('the reader is still there') });
      const text = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join('');
      out.write(text);
      out.write('after\n');
      assert.ok(stream.got.length > 0, 'the pipe filled up and the stream took over');
      const inPipe: Buffer[] = [];
      const buf = Buffer.alloc(1 << 16);
      for (;;) {
        let n = 0;
        try {
          n = fs.readSync(reader, buf);
        } catch {
          break;
        }
        if (n === 0) break;
        inPipe.push(Buffer.from(buf.subarray(0, n)));
      }
      assert.equal(Buffer.concat([...inPipe, ...stream.got]).toString('utf8'), text + 'after\n');
      stream.writableLength = 10;
      assert.equal(out.drained(), false);
    } finally {
      fs.closeSync(writer);
      fs.closeSync(reader);
    }
  });
});

test('a reader that went away ends the output quietly instead of raising EPIPE', () => {
  withFifo((fifo) => {
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    fs.closeSync(reader);
    try {
      let closed = 0;
      const out = fdOutput({ fd: writer, stream: () => assert.fail('EPIPE is not EAGAIN'), onClosed: () => closed++ });
      out.write('lost\n');
      assert.equal(closed, 1);
    } finally {
      fs.closeSync(writer);
    }
  });
});
