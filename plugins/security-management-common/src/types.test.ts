import {
  INCIDENT_STATUSES,
  IncidentStatus,
  nextIncidentStatuses,
} from './types';

describe('nextIncidentStatuses', () => {
  it.each<[IncidentStatus, IncidentStatus]>([
    ['reported', 'triaged'],
    ['triaged', 'contained'],
    ['contained', 'eradicated'],
    ['eradicated', 'recovered'],
    ['recovered', 'closed'],
  ])('moves %s forward to %s only', (from, to) => {
    expect(nextIncidentStatuses(from)).toEqual([to]);
  });

  it('reopens a closed incident as reported', () => {
    expect(nextIncidentStatuses('closed')).toEqual(['reported']);
  });

  it('walks every phase in order, without skipping, back to reported', () => {
    const walked: IncidentStatus[] = [];
    let status: IncidentStatus = 'reported';
    for (let i = 0; i < INCIDENT_STATUSES.length; i++) {
      walked.push(status);
      const next = nextIncidentStatuses(status);
      expect(next).toHaveLength(1);
      status = next[0];
    }
    expect(walked).toEqual(INCIDENT_STATUSES);
    expect(status).toBe('reported');
  });

  it('offers nothing for an unknown status', () => {
    expect(nextIncidentStatuses('resolved' as IncidentStatus)).toEqual([]);
  });
});
