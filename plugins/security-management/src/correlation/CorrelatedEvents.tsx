import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { correlatedEventsChangesSchema } from '@open-itsm/plugin-security-management-common';
import { formatDateTime } from '../lib/format';
import { WRAP_STYLE } from '../components/OverflowText';

/**
 * The security events of a `correlated` timeline entry: how many a rule
 * attached, and the first of them with their fields.
 */
export function CorrelatedEvents(props: { changes?: Record<string, unknown> }) {
  const parsed = correlatedEventsChangesSchema.safeParse(props.changes);
  if (!parsed.success) return null;
  const { eventCount, events } = parsed.data;
  return (
    <Box ml={2}>
      <Typography variant="caption">
        {eventCount === events.length
          ? `${eventCount} security event${eventCount === 1 ? '' : 's'}:`
          : `${eventCount} security events; the first ${events.length}:`}
      </Typography>
      <ul aria-label="Correlated security events">
        {events.map((event, index) => (
          <li key={event.id ?? index} style={WRAP_STYLE}>
            {formatDateTime(event.occurredAt)}
            {event.id ? ` (${event.id})` : ''}:{' '}
            {Object.entries(event.fields)
              .map(([path, value]) => `${path}=${String(value)}`)
              .join(', ')}
          </li>
        ))}
      </ul>
    </Box>
  );
}
