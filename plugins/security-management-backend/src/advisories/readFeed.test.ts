import {
  advisoryFixtureFiles,
  createMemoryUrlReader,
  FIXTURE_FEEDS,
  loadAdvisoryFixtures,
  zipArchive,
} from '../__testUtils__/memoryUrlReader';
import { readFeed } from './readFeed';

const files = advisoryFixtureFiles();
const ids = files.osv.map(file => file.path.replace(/\.json$/, '')).sort();
const osvFeed = (target: string) => ({
  id: 'osv',
  type: 'osv' as const,
  target,
});

const advisoryIds = (result: Awaited<ReturnType<typeof readFeed>>) =>
  result.advisories.map(advisory => advisory.id).sort();

describe('readFeed', () => {
  it('reads an OSV folder with readTree, only its JSON files', async () => {
    const reader = createMemoryUrlReader({
      [`${FIXTURE_FEEDS.osv}README.md`]: '# not an advisory',
    });
    loadAdvisoryFixtures(reader);
    const result = await readFeed(reader, osvFeed(FIXTURE_FEEDS.osv));
    expect(advisoryIds(result)).toEqual(ids);
    expect(result.warnings).toEqual([]);
  });

  it('reads one JSON document holding an array of OSV records with readUrl', async () => {
    const url = 'https://feeds.example.com/npm/advisories.JSON';
    const reader = createMemoryUrlReader({
      [url]: `[${files.osv.map(file => file.content.toString()).join(',')}]`,
    });
    const result = await readFeed(reader, osvFeed(url));
    expect(advisoryIds(result)).toEqual(ids);
    expect(reader.reads).toEqual([url]);
  });

  it('reads the JSON files of a zip archive, as OSV publishes each ecosystem', async () => {
    const url = 'https://osv-vulnerabilities.example.com/npm/all.zip';
    const reader = createMemoryUrlReader({
      [url]: zipArchive({
        ...Object.fromEntries(
          files.osv.map(file => [`npm/${file.path}`, file.content]),
        ),
        'npm/LICENSE.txt': 'CC-BY 4.0',
      }),
    });
    const result = await readFeed(reader, osvFeed(url));
    expect(advisoryIds(result)).toEqual(ids);
  });

  it('refuses a feed with a file that is not JSON, naming the file', async () => {
    const reader = createMemoryUrlReader();
    loadAdvisoryFixtures(reader);
    reader.set(`${FIXTURE_FEEDS.osv}GHSA-34x7-hfp2-rc4v.json`, '{"id": ');
    await expect(readFeed(reader, osvFeed(FIXTURE_FEEDS.osv))).rejects.toThrow(
      /^GHSA-34x7-hfp2-rc4v\.json is not valid JSON/,
    );

    const zip = 'https://feeds.example.com/all.zip';
    reader.set(zip, zipArchive({ 'a/GHSA-1.json': '[' }));
    await expect(readFeed(reader, osvFeed(zip))).rejects.toThrow(
      /^a\/GHSA-1\.json is not valid JSON/,
    );
  });

  it('refuses what cannot be a feed, saying why', async () => {
    const reader = createMemoryUrlReader({
      'https://feeds.example.com/broken.zip': 'not a zip',
      'https://feeds.example.com/empty.zip': zipArchive({ 'README.md': '#' }),
      'https://feeds.example.com/kev.json': '{"vulnerabilities": []}',
    });
    await expect(
      readFeed(reader, osvFeed('https://feeds.example.com/broken.zip')),
    ).rejects.toThrow(
      'https://feeds.example.com/broken.zip is not a zip archive',
    );
    await expect(
      readFeed(reader, osvFeed('https://feeds.example.com/empty.zip')),
    ).rejects.toThrow('https://feeds.example.com/empty.zip holds no JSON file');
    await expect(
      readFeed(reader, osvFeed('https://feeds.example.com/nothing/')),
    ).rejects.toThrow('https://feeds.example.com/nothing/ could not be read');
    await expect(
      readFeed(reader, {
        id: 'kev',
        type: 'kev',
        target: 'https://feeds.example.com/kev.json',
      }),
    ).rejects.toThrow(
      'The KEV catalog does not follow its schema: catalogVersion',
    );
  });

  it('reads the KEV catalog with readUrl', async () => {
    const reader = createMemoryUrlReader();
    loadAdvisoryFixtures(reader);
    const result = await readFeed(reader, {
      id: 'kev',
      type: 'kev',
      target: FIXTURE_FEEDS.kev,
    });
    expect(result.advisories).toHaveLength(1404);
    expect(result.feedVersion).toBe('2025.08.25');
  });
});
