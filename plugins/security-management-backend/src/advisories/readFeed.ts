import { UrlReaderService } from '@backstage/backend-plugin-api';
import yauzl from 'yauzl';
import { FeedConfig } from './AdvisoryFeedStore';
import {
  FeedParseResult,
  FeedFormatError,
  parseKevCatalog,
  parseOsvFeed,
} from './matching';

/** Most files one OSV archive or folder may hold. */
const MAX_FILES = 500_000;

type FeedFile = { path: string; content: Buffer };

/** The JSON entries of a zip archive, as OSV publishes each ecosystem. */
function unzipJson(archive: Buffer, target: string): Promise<FeedFile[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(archive, { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) {
        reject(
          new FeedFormatError(
            `${target} is not a zip archive: ${openError?.message}`,
          ),
        );
        return;
      }
      const files: FeedFile[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.json')) {
          zip.readEntry();
          return;
        }
        if (files.length >= MAX_FILES) {
          reject(
            new FeedFormatError(`${target} holds over ${MAX_FILES} files`),
          );
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            reject(streamError);
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', chunk => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            files.push({
              path: entry.fileName,
              content: Buffer.concat(chunks),
            });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * The files of an OSV feed: one JSON document (a record or an array of
 * records), a zip archive of them, or a tree (a folder, or a directory of a
 * repository) read with `readTree`.
 */
async function readOsvFiles(
  reader: UrlReaderService,
  target: string,
): Promise<FeedFile[]> {
  const path = new URL(target).pathname.toLocaleLowerCase('en-US');
  if (path.endsWith('.json')) {
    const response = await reader.readUrl(target);
    return [{ path: target, content: await response.buffer() }];
  }
  if (path.endsWith('.zip')) {
    const response = await reader.readUrl(target);
    return unzipJson(await response.buffer(), target);
  }
  const tree = await reader.readTree(target, {
    filter: file => file.endsWith('.json'),
  });
  const files = await tree.files();
  if (files.length > MAX_FILES) {
    throw new FeedFormatError(`${target} holds over ${MAX_FILES} files`);
  }
  return Promise.all(
    files.map(async file => ({
      path: file.path,
      content: await file.content(),
    })),
  );
}

/** Reads and parses one feed; throws when it cannot be used at all. */
export async function readFeed(
  reader: UrlReaderService,
  feed: FeedConfig,
): Promise<FeedParseResult> {
  if (feed.type === 'kev') {
    const response = await reader.readUrl(feed.target);
    return parseKevCatalog(await response.buffer());
  }
  const files = await readOsvFiles(reader, feed.target);
  if (!files.length) {
    throw new FeedFormatError(`${feed.target} holds no JSON file`);
  }
  return parseOsvFeed(files);
}
