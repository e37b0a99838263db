export { AdvisoryIndex } from './AdvisoryIndex';
export { readCycloneDxSbom } from './cycloneDxSbom';
export { MATCHED_ECOSYSTEMS, MATCHED_PURL_TYPES } from './ecosystems';
export { ComponentSourceError, FeedFormatError } from './errors';
export { parseKevCatalog, parseKevProducts } from './kevCatalog';
export { parseOsvFeed } from './osvFeed';
export { parsePurlList } from './purls';
export { cycloneDxFromYarnLock } from './yarnLockSbom';
export type * from './types';
