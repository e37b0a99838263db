import { LoggerService } from '@backstage/backend-plugin-api';
import { ComponentSource } from '@open-itsm/plugin-security-management-common';
import { availableParallelism } from 'node:os';
import {
  isMainThread,
  MessagePort,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { AdvisoryIndex, AdvisoryMatchReason, ParsedAdvisory } from './matching';
import { FetchedSources, parseEntitySources } from './readComponents';

/** What one entity's sources gave, matched: plain data. */
export interface EntityMatchOutput {
  sources: ComponentSource[];
  complete: boolean;
  reasons: AdvisoryMatchReason[];
}

/** The advisories matched against, with the index built from them. */
export interface MatchIndex {
  version: string;
  advisories: ParsedAdvisory[];
  index: AdvisoryIndex;
}

/** Parses an entity's fetched sources and matches them against `index`. */
export async function matchFetchedSources(
  index: AdvisoryIndex,
  fetched: FetchedSources,
): Promise<EntityMatchOutput> {
  const read = await parseEntitySources(fetched);
  const reasons = index.match({
    components: read.components
      .filter(entry => entry.source === 'sbom')
      .map(entry => entry.component),
    purlComponents: read.components
      .filter(entry => entry.source === 'purl')
      .map(entry => entry.component),
    products: read.products,
  });
  return { sources: read.sources, complete: read.complete, reasons };
}

/** Parses and matches entities' sources, in this thread or on workers. */
export interface EntityMatcher {
  match(index: MatchIndex, fetched: FetchedSources): Promise<EntityMatchOutput>;
  close(): Promise<void>;
}

/** Matches on the calling thread. */
export const inProcessMatcher: EntityMatcher = {
  match: (index, fetched) => matchFetchedSources(index.index, fetched),
  close: async () => {},
};

/** A message to a match worker. */
export type MatchWorkerRequest =
  | { type: 'index'; version: string; advisories: ParsedAdvisory[] }
  | { type: 'match'; id: number; version: string; fetched: FetchedSources };

/** A message from a match worker. */
export type MatchWorkerResponse =
  | { id: number; output: EntityMatchOutput }
  | { id: number; error: string };

interface Task {
  index: MatchIndex;
  fetched: FetchedSources;
  resolve: (output: EntityMatchOutput) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  version?: string;
  pending: Map<number, Task>;
}

/** Marks a worker thread started by {@link MatchPool}. */
const WORKER_MARK = 'openItsmAdvisoryMatchWorker';

/**
 * A worker thread's loop: holds the advisory index of the version it was
 * last sent, and parses and matches entities' sources against it.
 */
function serveMatches(port: MessagePort) {
  let current: { version: string; index: AdvisoryIndex } | undefined;
  const reply = (response: MatchWorkerResponse) => port.postMessage(response);
  port.on('message', (message: MatchWorkerRequest) => {
    if (message.type === 'index') {
      current = {
        version: message.version,
        index: new AdvisoryIndex(message.advisories),
      };
      return;
    }
    const { id, version, fetched } = message;
    if (!current || current.version !== version) {
      reply({ id, error: `No advisory index of version ${version}` });
      return;
    }
    matchFetchedSources(current.index, fetched).then(
      output => reply({ id, output }),
      error =>
        reply({
          id,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  });
}

// A worker loads this very module (the TypeScript source through the
// runtime's transform, or its own file in `dist`) and serves from here.
if (!isMainThread && parentPort && workerData?.[WORKER_MARK]) {
  serveMatches(parentPort);
}

/**
 * Parses SBOMs and matches them on worker threads, each holding its own
 * index of the advisories (sent once per index version). A worker that
 * cannot start or fails hands its tasks back to this thread, which then
 * matches everything itself: results never depend on where they were made.
 */
export class MatchPool implements EntityMatcher {
  readonly #workers: PoolWorker[] = [];
  readonly #logger: LoggerService;
  #nextId = 0;
  #failed = false;
  #closed = false;

  /**
   * `size` defaults to one worker per core: while they parse and match, this
   * thread mostly waits on the reader and the database.
   */
  constructor(options: {
    logger: LoggerService;
    size?: number;
    /** Node options of the workers; by default this process's. */
    execArgv?: string[];
  }) {
    this.#logger = options.logger;
    const execArgv = options.execArgv ?? process.execArgv;
    let size = options.size ?? availableParallelism();
    // From TypeScript sources (not `dist`) a worker needs the transform this
    // process was started with; jest's own transform is not one of those.
    if (
      __filename.endsWith('.ts') &&
      !execArgv.some(arg => /^--(require|import|loader)\b|^-r$/.test(arg))
    ) {
      size = 0;
    }
    for (let i = 0; i < size; i++) {
      const worker = new Worker(`require(${JSON.stringify(__filename)})`, {
        eval: true,
        workerData: { [WORKER_MARK]: true },
        execArgv,
      });
      const entry: PoolWorker = { worker, pending: new Map() };
      worker.unref();
      worker.on('message', (message: MatchWorkerResponse) =>
        this.#answer(entry, message),
      );
      worker.on('error', (error: unknown) => this.#fail(entry, error));
      worker.on('exit', code =>
        this.#fail(entry, new Error(`the worker exited with code ${code}`)),
      );
      this.#workers.push(entry);
    }
  }

  /** False once a worker failed and everything is matched in this thread. */
  get usingWorkers(): boolean {
    return !this.#failed && !this.#closed && this.#workers.length > 0;
  }

  match(
    index: MatchIndex,
    fetched: FetchedSources,
  ): Promise<EntityMatchOutput> {
    if (!this.usingWorkers) return inProcessMatcher.match(index, fetched);
    const entry = this.#workers.reduce((a, b) =>
      b.pending.size < a.pending.size ? b : a,
    );
    return new Promise<EntityMatchOutput>((resolve, reject) => {
      const id = this.#nextId++;
      entry.pending.set(id, { index, fetched, resolve, reject });
      if (entry.pending.size === 1) entry.worker.ref();
      if (entry.version !== index.version) {
        entry.version = index.version;
        this.#post(entry, {
          type: 'index',
          version: index.version,
          advisories: index.advisories,
        });
      }
      // A view into a larger buffer would be cloned whole: send its bytes.
      const content = fetched.sbom?.content;
      const sent =
        content && content.byteLength !== content.buffer.byteLength
          ? { ...fetched, sbom: { ...fetched.sbom!, content: content.slice() } }
          : fetched;
      this.#post(entry, {
        type: 'match',
        id,
        version: index.version,
        fetched: sent,
      });
    });
  }

  #post(entry: PoolWorker, message: MatchWorkerRequest) {
    try {
      entry.worker.postMessage(message);
    } catch (error) {
      this.#fail(entry, error);
    }
  }

  #answer(entry: PoolWorker, message: MatchWorkerResponse) {
    if (!('id' in message)) return;
    const task = entry.pending.get(message.id);
    if (!task) return;
    entry.pending.delete(message.id);
    if (!entry.pending.size) entry.worker.unref();
    if ('output' in message) task.resolve(message.output);
    else task.reject(new Error(message.error));
  }

  /** Stops using the workers; their unanswered tasks are matched here. */
  #fail(entry: PoolWorker, error: unknown) {
    if (!this.#failed && !this.#closed) {
      this.#failed = true;
      this.#logger.warn(
        `Advisory matching continues without worker threads: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      for (const other of this.#workers) {
        if (other !== entry) void other.worker.terminate();
      }
    }
    const tasks = [...entry.pending.values()];
    entry.pending.clear();
    for (const task of tasks) {
      inProcessMatcher
        .match(task.index, task.fetched)
        .then(task.resolve, task.reject);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.map(entry => entry.worker.terminate()));
  }
}
