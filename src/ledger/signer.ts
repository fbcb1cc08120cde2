/**
 * Signs headers for `append`, in this thread or on worker threads. Signing is the costliest step
 * of an append; on worker threads it runs on the other cores while this thread commits the
 * previous batch, so a node's append rate is not capped by one core's signing rate.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { signHeader, signingKeyToPem, type SigningKey } from '../protocol/signing.js';

export interface HeaderSigner {
  sign(headers: readonly Buffer[]): Promise<Buffer[]>;
  close(): Promise<void>;
}

export class InThreadSigner implements HeaderSigner {
  readonly #key: SigningKey;
  constructor(key: SigningKey) {
    this.#key = key;
  }
  sign(headers: readonly Buffer[]): Promise<Buffer[]> {
    return Promise.resolve(headers.map((h) => signHeader(h, this.#key)));
  }
  async close(): Promise<void> {}
}

/** Splits each batch across worker threads that hold the key; small batches stay in-thread. */
export class WorkerSigner implements HeaderSigner {
  readonly #workers: Worker[];
  readonly #local: InThreadSigner;
  readonly #waiting = new Map<number, { resolve: (s: Buffer[]) => void; reject: (e: Error) => void }>();
  #next = 0;

  constructor(key: SigningKey, count: number, script: string) {
    this.#local = new InThreadSigner(key);
    const pem = signingKeyToPem(key);
    this.#workers = Array.from({ length: count }, () => {
      const w = new Worker(script, { workerData: { pem } });
      w.on('message', (m: { id: number; sigs: Uint8Array[] }) => {
        const p = this.#waiting.get(m.id);
        this.#waiting.delete(m.id);
        if (this.#waiting.size === 0) for (const x of this.#workers) x.unref();
        p?.resolve(m.sigs.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)));
      });
      w.on('error', (e) => {
        for (const p of this.#waiting.values()) p.reject(e);
        this.#waiting.clear();
      });
      w.unref();
      return w;
    });
  }

  async sign(headers: readonly Buffer[]): Promise<Buffer[]> {
    if (headers.length < 16) return this.#local.sign(headers);
    const n = this.#workers.length;
    const per = Math.ceil(headers.length / n);
    const parts = await Promise.all(
      this.#workers.map((w, i) => {
        const slice = headers.slice(i * per, (i + 1) * per);
        if (slice.length === 0) return Promise.resolve([] as Buffer[]);
        const id = this.#next++;
        return new Promise<Buffer[]>((resolve, reject) => {
          this.#waiting.set(id, { resolve, reject });
          // Keep the process alive while a signature is owed; idle workers don't hold it open.
          w.ref();
          w.postMessage({ id, headers: slice });
        });
      }),
    );
    return parts.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

/** Worker signing when the compiled worker script is present (the built node), else in-thread. */
export function createSigner(key: SigningKey, workers: number): HeaderSigner {
  const script = fileURLToPath(new URL('./sign-worker.js', import.meta.url));
  if (workers > 0 && existsSync(script)) return new WorkerSigner(key, workers, script);
  return new InThreadSigner(key);
}
