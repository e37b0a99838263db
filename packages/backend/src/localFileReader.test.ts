import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { localFileReaderFactory } from './localFileReader';

describe('localFileReader', () => {
  const base = mkdtempSync(join(tmpdir(), 'local-reader-'));
  const allowed = join(base, 'allowed');
  const secret = join(base, 'secret.txt');
  mkdirSync(join(allowed, 'osv', 'nested'), { recursive: true });
  writeFileSync(join(allowed, 'osv', 'a.json'), '{"id":"A"}');
  writeFileSync(join(allowed, 'osv', 'nested', 'b.json'), '{"id":"B"}');
  writeFileSync(join(allowed, 'osv', 'notes.md'), 'not json');
  writeFileSync(secret, 'do not read');
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const reader = UrlReaders.create({
    config: mockServices.rootConfig({
      data: { localFiles: { allow: [allowed] } },
    }),
    logger: mockServices.logger.mock(),
    factories: [localFileReaderFactory],
  });
  const url = (path: string) => pathToFileURL(path).toString();

  it('reads a file inside an allowed folder, with an etag that detects no change', async () => {
    const response = await reader.readUrl(url(join(allowed, 'osv', 'a.json')));
    expect((await response.buffer()).toString()).toBe('{"id":"A"}');
    await expect(
      reader.readUrl(url(join(allowed, 'osv', 'a.json')), {
        etag: response.etag,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('refuses anything outside the allowed folders, including by ..', async () => {
    await expect(reader.readUrl(url(secret))).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(
      reader.readUrl(`${url(allowed)}/../secret.txt`),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('says so when a file is missing', async () => {
    await expect(
      reader.readUrl(url(join(allowed, 'missing.json'))),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('reads a folder as a tree, recursively and filtered', async () => {
    const tree = await reader.readTree(url(join(allowed, 'osv')), {
      filter: path => path.endsWith('.json'),
    });
    const files = await tree.files();
    expect(files.map(file => file.path).sort()).toEqual([
      'a.json',
      join('nested', 'b.json'),
    ]);
    expect(
      (await files.find(f => f.path === 'a.json')!.content()).toString(),
    ).toBe('{"id":"A"}');
  });

  it('adds no reader when no folder is allowed', () => {
    expect(
      localFileReaderFactory({
        config: mockServices.rootConfig({ data: {} }),
        logger: mockServices.logger.mock(),
        treeResponseFactory: {} as never,
      }),
    ).toEqual([]);
  });
});
