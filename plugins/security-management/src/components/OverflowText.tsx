import { CSSProperties } from 'react';
import { truncateText } from '../lib/format';

/**
 * The most characters of one value a table cell renders: far more than fit
 * in its lines, and few enough that a 20,000-character value costs nothing.
 */
const MAX_RENDERED_CHARACTERS = 1000;

/**
 * The style that keeps a value within `lines` lines of its cell: long words
 * (URLs, ids, a title without spaces) break anywhere, and what does not fit
 * ends in an ellipsis.
 */
export function clampStyle(lines: number): CSSProperties {
  return {
    display: '-webkit-box',
    WebkitBoxOrient: 'vertical',
    WebkitLineClamp: lines,
    overflow: 'hidden',
    overflowWrap: 'anywhere',
    wordBreak: 'break-word',
  };
}

/** The style of a long text shown in full: its lines kept, long words broken. */
export const WRAP_STYLE: CSSProperties = {
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
  wordBreak: 'break-word',
};

/**
 * User-supplied text (a title, notes, findings) in a table cell or card:
 * at most `lines` lines (default 2), with the full text in its tooltip, so
 * that no value, however long, stretches a row or a layout.
 */
export function OverflowText(props: { text: string; lines?: number }) {
  const { text, lines = 2 } = props;
  return (
    <span title={text} style={clampStyle(lines)}>
      {truncateText(text, MAX_RENDERED_CHARACTERS)}
    </span>
  );
}
