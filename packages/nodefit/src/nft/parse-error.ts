// The one error the nft ruleset parser throws: what is wrong and where (file:line:column), for a one-line message.
export class NftParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${col}: ${detail}`);
    this.name = 'NftParseError';
  }
}
