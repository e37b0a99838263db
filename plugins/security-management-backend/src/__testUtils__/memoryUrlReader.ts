import {
  UrlReaderService,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlResponse,
} from '@backstage/backend-plugin-api';
import {
  NotFoundError,
  NotImplementedError,
  NotModifiedError,
} from '@backstage/errors';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/*
 * A UrlReader over a map of URL → content that a test changes as it goes:
 * an SBOM published again, a feed that turns bad. What it reads is what the
 * map holds at the time of the read.
 */

function etagOf(content: Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

/** A UrlReaderService serving `files`, plus the URLs it was asked for. */
export interface MemoryUrlReader extends UrlReaderService {
  /** URL → content; change it to change what is read next. */
  files: Map<string, Buffer>;
  /** Sets the content of a URL (text, JSON as is, or bytes). */
  set(url: string, content: string | Buffer | object): void;
  /** Every URL readUrl and readTree were asked for, in order. */
  reads: string[];
}

/**
 * A UrlReaderService over a mutable map: `readUrl` answers a URL's content
 * with an etag (NotModifiedError when the caller's etag is current),
 * `readTree` the files whose URL starts with the given one (a folder),
 * paths relative to it; an unknown URL, or a tree without files, is
 * Backstage's NotFoundError. `search` is not supported.
 */
export function createMemoryUrlReader(
  initial: Record<string, string | Buffer | object> = {},
): MemoryUrlReader {
  const files = new Map<string, Buffer>();
  const reads: string[] = [];
  const set = (url: string, content: string | Buffer | object) => {
    files.set(
      url,
      Buffer.isBuffer(content)
        ? content
        : Buffer.from(
            typeof content === 'string' ? content : JSON.stringify(content),
          ),
    );
  };
  for (const [url, content] of Object.entries(initial)) set(url, content);

  return {
    files,
    reads,
    set,
    async readUrl(url, options): Promise<UrlReaderServiceReadUrlResponse> {
      reads.push(url);
      const content = files.get(url);
      if (!content)
        throw new NotFoundError(`${url} could not be read: no such file`);
      const etag = etagOf(content);
      if (options?.etag === etag) throw new NotModifiedError();
      return {
        buffer: async () => Buffer.from(content),
        etag,
      };
    },
    async readTree(url, options): Promise<UrlReaderServiceReadTreeResponse> {
      reads.push(url);
      const prefix = url.endsWith('/') ? url : `${url}/`;
      const entries = [...files]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, content]) => ({
          path: key.slice(prefix.length),
          content,
        }))
        .filter(
          file =>
            !options?.filter ||
            options.filter(file.path, { size: file.content.length }),
        )
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      if (!entries.length) {
        throw new NotFoundError(`${url} could not be read: no such folder`);
      }
      const etag = etagOf(
        Buffer.concat(entries.flatMap(e => [Buffer.from(e.path), e.content])),
      );
      if (options?.etag === etag) throw new NotModifiedError();
      return {
        etag,
        files: async () =>
          entries.map(entry => ({
            path: entry.path,
            content: async () => Buffer.from(entry.content),
          })),
        archive: async () => {
          throw new NotImplementedError('archive is not supported');
        },
        dir: async () => {
          throw new NotImplementedError('dir is not supported');
        },
      };
    },
    async search() {
      throw new NotImplementedError('search is not supported');
    },
  };
}

const FIXTURES = path.resolve(__dirname, '../advisories/__fixtures__');

/** Where {@link loadAdvisoryFixtures} puts the fixtures. */
export const FIXTURE_FEEDS = {
  /** The folder of the 41 OSV advisories, one `<GHSA id>.json` each. */
  osv: 'https://feeds.example.com/osv/',
  /** The CISA KEV catalog (1404 entries). */
  kev: 'https://feeds.example.com/kev.json',
};

/** The fixture files: each OSV advisory (`<GHSA id>.json`) and the KEV catalog. */
export function advisoryFixtureFiles(): {
  osv: Array<{ path: string; content: Buffer }>;
  kev: Buffer;
} {
  const osvDir = path.join(FIXTURES, 'osv');
  return {
    osv: fs
      .readdirSync(osvDir)
      .filter(file => file.endsWith('.json'))
      .sort()
      .map(file => ({
        path: file,
        content: fs.readFileSync(path.join(osvDir, file)),
      })),
    kev: fs.readFileSync(
      path.join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'),
    ),
  };
}

/**
 * Puts the real advisories of `advisories/__fixtures__` into the reader:
 * every OSV file under {@link FIXTURE_FEEDS}.osv (or `osvPrefix`) and the
 * KEV catalog at {@link FIXTURE_FEEDS}.kev (or `kevUrl`).
 */
export function loadAdvisoryFixtures(
  reader: MemoryUrlReader,
  options: { osvPrefix?: string; kevUrl?: string } = {},
): void {
  const { osv, kev } = advisoryFixtureFiles();
  const osvPrefix = options.osvPrefix ?? FIXTURE_FEEDS.osv;
  for (const file of osv) reader.set(`${osvPrefix}${file.path}`, file.content);
  reader.set(options.kevUrl ?? FIXTURE_FEEDS.kev, kev);
}

/**
 * A zip archive of the files, stored without compression: what OSV
 * publishes per ecosystem (`all.zip`), small enough to build in a test.
 */
export function zipArchive(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    locals.push(local, fileName, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
