/** The part of hypercore 11 (shipped without types) the peer bench calls. */
declare module 'hypercore' {
  import type { Duplex } from 'node:stream';
  interface Proof {
    block: { index: number; value: Buffer | null; nodes: unknown[] } | null;
    upgrade: unknown;
    [k: string]: unknown;
  }
  interface RocksDB {
    currentWalFile(): Promise<{ path: string; number: number; size: number }>;
    compactRange(): Promise<void>;
  }
  export default class Hypercore {
    constructor(storage: string, key?: Buffer, options?: Record<string, unknown>);
    readonly key: Buffer;
    readonly discoveryKey: Buffer;
    readonly length: number;
    readonly core: {
      db: { db: RocksDB };
      header: { manifest: unknown };
      audit(opts?: { dryRun?: boolean }): Promise<{ treeNodes: number; blocks: number; droppedTreeNodes: number; droppedBlocks: number; corrupt: boolean } | null>;
    };
    ready(): Promise<void>;
    append(block: Buffer | Buffer[]): Promise<{ length: number; byteLength: number }>;
    get(index: number): Promise<Buffer>;
    replicate(isInitiator: boolean, opts?: Record<string, unknown>): Duplex;
    download(range?: { start?: number; end?: number }): { done(): Promise<void> };
    proof(opts: { block?: { index: number; nodes: number }; upgrade?: { start: number; length: number } }): Promise<Proof>;
    verifyFullyRemote(proof: Proof): Promise<unknown>;
    close(): Promise<void>;
  }
}

declare module 'hypercore/messages.js' {
  const messages: {
    wire: { data: { preencode(state: { start: number; end: number }, m: unknown): void; encode(state: { buffer: Buffer; start: number; end: number }, m: unknown): void } };
  };
  export default messages;
}
