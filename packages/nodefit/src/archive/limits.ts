// Limits every decompression in nodefit runs under, so a hostile archive (a "decompression bomb") fails with one clear line.

/** How much a single decompression may produce, and how far output may outgrow input. */
export interface DecompressLimits {
  /** Hard ceiling on decompressed bytes. */
  readonly maxOutputBytes: number;
  /** Ceiling on output/input once output passes `ratioFloorBytes` (small, very repetitive files are normal). */
  readonly maxRatio: number;
  /** Output below this size is never judged by ratio. Default 8 MiB. */
  readonly ratioFloorBytes?: number;
  /** How the input is named in errors, e.g. "layer sha256:ab12… in ./img.tar" or "kernel/fs/foo.ko.xz". */
  readonly name: string;
}

/** Image layers: a real layer rarely exceeds 10x; sparse or zero-filled files can reach 50x, bombs go far beyond. */
export const LAYER_LIMITS = { maxOutputBytes: 8 * 1024 * 1024 * 1024, maxRatio: 50, ratioFloorBytes: 8 * 1024 * 1024 } as const;

/** One kernel module, one config.gz, one package payload member: tens of MiB at most. */
export const FILE_LIMITS = { maxOutputBytes: 512 * 1024 * 1024, maxRatio: 50, ratioFloorBytes: 8 * 1024 * 1024 } as const;

export const DEFAULT_RATIO_FLOOR = 8 * 1024 * 1024;

export type DecompressErrorKind = 'too-big' | 'ratio' | 'corrupt' | 'truncated' | 'unsupported';

/** A decompression that failed or was stopped; the message is one line naming the input. */
export class DecompressError extends Error {
  constructor(
    readonly kind: DecompressErrorKind,
    readonly input: string,
    detail: string,
  ) {
    super(`${input}: ${detail}`);
    this.name = 'DecompressError';
  }
}

/** Tracks bytes in and out against the limits; throws DecompressError when one is crossed. */
export class LimitMeter {
  bytesIn = 0;
  bytesOut = 0;
  private readonly floor: number;

  constructor(private readonly limits: DecompressLimits) {
    this.floor = limits.ratioFloorBytes ?? DEFAULT_RATIO_FLOOR;
  }

  addIn(n: number): void {
    this.bytesIn += n;
  }

  addOut(n: number): void {
    this.bytesOut += n;
    const { maxOutputBytes, maxRatio, name } = this.limits;
    if (this.bytesOut > maxOutputBytes) {
      throw new DecompressError('too-big', name, `decompresses to more than ${maxOutputBytes} bytes (limit); refusing a possible decompression bomb`);
    }
    if (this.bytesOut > this.floor && this.bytesOut > maxRatio * Math.max(this.bytesIn, 1)) {
      throw new DecompressError(
        'ratio',
        name,
        `decompresses to more than ${maxRatio}x its compressed size (${this.bytesOut} bytes from ${this.bytesIn}); refusing a possible decompression bomb`,
      );
    }
  }
}
