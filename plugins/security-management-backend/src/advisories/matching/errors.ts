/**
 * A feed that cannot be used as a whole: not JSON, or not the shape its
 * format requires. The message names the file and the field. A feed
 * replaces its previous state entirely or not at all, so nothing of it is
 * kept.
 */
export class FeedFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedFormatError';
  }
}

/** An SBOM or annotation that cannot be read; the message says why. */
export class ComponentSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComponentSourceError';
  }
}
