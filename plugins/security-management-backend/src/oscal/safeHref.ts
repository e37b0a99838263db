/** Characters RFC 3986 allows in a path, query and fragment, and `%`. */
const NOT_URI_CHARACTER = /[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/g;

/**
 * A URL as an OSCAL URI reference (RFC 3986), or undefined for what is no
 * http(s) URL. The API stores only http(s) URLs, but the WHATWG parser
 * leaves some characters RFC 3986 refuses (`|`, `^`, `[`...) unencoded;
 * they are percent-encoded here. Credentials in the URL are left out.
 */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return undefined;
  }
  const rest = `${parsed.pathname}${parsed.search}${parsed.hash}`
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25')
    .replace(NOT_URI_CHARACTER, character => encodeURIComponent(character));
  return `${parsed.origin}${rest}`;
}
