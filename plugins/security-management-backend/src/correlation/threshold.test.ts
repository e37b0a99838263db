import { firingWindow, WindowHit } from './threshold';

const MIN = 60_000;

function hits(minutes: number[], newFrom = 0): WindowHit[] {
  return minutes.map((minute, index) => ({
    eventKey: `e${index}`,
    occurredAt: minute * MIN,
    isNew: index >= newFrom,
  }));
}

const keys = (window?: WindowHit[]) => window?.map(hit => hit.eventKey);

describe('firingWindow', () => {
  it('fires when the threshold is reached within the window', () => {
    expect(keys(firingWindow(hits([0, 1, 2, 3, 4]), 5, 10 * MIN))).toEqual([
      'e0',
      'e1',
      'e2',
      'e3',
      'e4',
    ]);
    expect(firingWindow(hits([0, 1, 2, 3]), 5, 10 * MIN)).toBeUndefined();
  });

  it('counts only hits less than a window apart', () => {
    // 0 and 10 are exactly a window apart: never in one window.
    expect(firingWindow(hits([0, 4, 6, 8, 10]), 5, 10 * MIN)).toBeUndefined();
    expect(keys(firingWindow(hits([0, 4, 6, 8, 10, 11]), 5, 10 * MIN))).toEqual(
      ['e1', 'e2', 'e3', 'e4', 'e5'],
    );
  });

  it('lets a late event complete an earlier window', () => {
    const window = firingWindow(
      [
        ...hits([20, 21, 22, 23]).map(h => ({ ...h, isNew: false })),
        {
          eventKey: 'late',
          occurredAt: 19 * MIN,
          isNew: true,
        },
      ],
      5,
      10 * MIN,
    );
    expect(keys(window)).toEqual(['late', 'e0', 'e1', 'e2', 'e3']);
  });

  it('does not fire on old hits alone', () => {
    expect(
      firingWindow(hits([0, 1, 2, 3, 4, 50], 5), 5, 10 * MIN),
    ).toBeUndefined();
  });

  it('fires at once with a threshold of one', () => {
    expect(keys(firingWindow(hits([7]), 1, MIN))).toEqual(['e0']);
  });
});
