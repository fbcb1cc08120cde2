/**
 * A bounded pool of worker threads running one kind of job (verify's range checks, accept's
 * signature checks). Each worker is handed a few jobs at a time and answers them in order, so the
 * work stays balanced to the end. If a worker fails, the jobs it owed — and, with no worker left,
 * every queued one — run in this thread instead: a job is never lost and never hangs. Idle workers
 * do not keep the process alive.
 */
import { Worker } from 'node:worker_threads';

export class WorkerPool<J, R> {
  readonly #workers: Worker[] = [];
  readonly #owed = new Map<Worker, { job: J; resolve: (r: R) => void }[]>();
  readonly #queue: { job: J; resolve: (r: R) => void }[] = [];
  #closing = false;

  constructor(
    size: number,
    script: string,
    /** Runs a job in this thread (a failed worker's jobs). */
    readonly inThread: (job: J) => R | Promise<R>,
    /** Jobs in flight per worker, so a worker never idles waiting for this thread to hand it one. */
    readonly perWorker = 2,
  ) {
    for (let i = 0; i < size; i++) this.#start(script);
  }

  #start(script: string): void {
    const w = new Worker(script);
    w.unref();
    this.#workers.push(w);
    this.#owed.set(w, []);
    w.on('message', (result: R) => {
      this.#owed.get(w)?.shift()?.resolve(result);
      this.#feed(w);
    });
    const failed = () => {
      if (this.#closing) return;
      const i = this.#workers.indexOf(w);
      if (i < 0) return;
      this.#workers.splice(i, 1);
      const owed = this.#owed.get(w) ?? [];
      this.#owed.delete(w);
      const rest = this.#workers.length === 0 ? this.#queue.splice(0) : [];
      for (const o of [...owed, ...rest]) void Promise.resolve(this.inThread(o.job)).then(o.resolve);
    };
    w.on('error', failed);
    w.on('exit', failed);
  }

  #feed(w: Worker): void {
    const owed = this.#owed.get(w);
    if (!owed) return;
    while (owed.length < this.perWorker && this.#queue.length) {
      const next = this.#queue.shift()!;
      owed.push(next);
      w.postMessage(next.job);
    }
    if (owed.length) w.ref();
    else w.unref();
  }

  run(job: J): Promise<R> {
    if (this.#workers.length === 0) return Promise.resolve(this.inThread(job));
    return new Promise((resolve) => {
      this.#queue.push({ job, resolve });
      for (const w of this.#workers) this.#feed(w);
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
