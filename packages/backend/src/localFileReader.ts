import {
  createServiceFactory,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReaderFactory,
  ReadTreeResponseFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import {
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/**
 * Reads `file:` URLs under the folders `localFiles.allow` lists (relative
 * to the backend's working directory), so that the example app's advisory
 * feeds and SBOMs, kept in this repository, go through Backstage's
 * UrlReader like any other location. Anything outside those folders is
 * refused. Production reads feeds and SBOMs over HTTP or source control.
 */
export class LocalFileReader implements UrlReaderService {
  readonly #roots: string[];
  readonly #trees: ReadTreeResponseFactory;

  constructor(options: { roots: string[]; trees: ReadTreeResponseFactory }) {
    this.#roots = options.roots.map(root => resolve(root));
    this.#trees = options.trees;
  }

  /** The path of a file URL, if it lies inside an allowed folder. */
  #path(url: string): string {
    const path = resolve(fileURLToPath(url));
    const inside = this.#roots.some(
      root => path === root || path.startsWith(root + sep),
    );
    if (!inside) {
      throw new NotAllowedError(
        `Reading ${url} is not allowed; add its folder to localFiles.allow`,
      );
    }
    return path;
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const path = this.#path(url);
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch {
      throw new NotFoundError(`${url} does not exist or cannot be read`);
    }
    const etag = createHash('sha256').update(content).digest('hex');
    if (options?.etag === etag) throw new NotModifiedError();
    return {
      buffer: async () => content,
      stream: () => Readable.from(content),
      etag,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const root = this.#path(url);
    if (!(await stat(root).catch(() => undefined))?.isDirectory()) {
      throw new NotFoundError(`${url} is not a folder`);
    }
    const entries = await readdir(root, {
      recursive: true,
      withFileTypes: true,
    });
    const files = entries
      .filter(entry => entry.isFile())
      .map(entry => join(entry.parentPath, entry.name))
      .map(path => ({ path, relativePath: relative(root, path) }))
      .filter(file => !options?.filter || options.filter(file.relativePath))
      .sort((a, b) => a.relativePath.localeCompare(b.relativePath));
    return this.#trees.fromReadableArray(
      files.map(file => ({
        data: createReadStream(file.path),
        path: file.relativePath,
      })),
    );
  }

  async search(): Promise<UrlReaderServiceSearchResponse> {
    throw new NotAllowedError('Searching local files is not supported');
  }
}

/** The reader for `file:` URLs under `localFiles.allow`, if any are listed. */
export const localFileReaderFactory: ReaderFactory = ({
  config,
  treeResponseFactory,
}) => {
  const roots = config.getOptionalStringArray('localFiles.allow') ?? [];
  if (!roots.length) return [];
  const reader = new LocalFileReader({ roots, trees: treeResponseFactory });
  return [{ reader, predicate: url => url.protocol === 'file:' }];
};

/** Adds the local-file reader to the backend's UrlReader. */
export const localFileReaderServiceFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return localFileReaderFactory;
  },
});
