import { render, screen } from '@testing-library/react';
import { TrendPoint } from '@open-itsm/plugin-security-management-common';
import { TrendChart } from './TrendChart';

function point(day: string, score: number | null): TrendPoint {
  return {
    day,
    source: 'snapshot',
    entityCount: 1,
    counts: { passing: 1, failing: 0, overdue: 0, untested: 0, excepted: 0 },
    review: {
      current: 1,
      'due-soon': 0,
      'review-required': 0,
      overdue: 0,
      'never-reviewed': 0,
    },
    advisories: { active: 0, overdue: 0 },
    score,
    grade: score === null ? 'N/A' : 'A',
  };
}

describe('TrendChart', () => {
  it('places days across the period and scores up the axis, breaking the line at gaps', () => {
    const { container } = render(
      <TrendChart
        title="Trend"
        from="2026-06-01"
        to="2026-06-11"
        points={[
          point('2026-06-01', 0),
          point('2026-06-02', 100),
          point('2026-06-03', null),
          point('2026-06-06', 50),
          point('2026-06-11', 50),
        ]}
      />,
    );
    const points = screen.getAllByTestId('trend-point');
    // A day without a score has no dot.
    expect(points).toHaveLength(4);
    const [first, second, third, last] = points.map(p => ({
      x: Number(p.getAttribute('cx')),
      y: Number(p.getAttribute('cy')),
    }));
    expect(first.x).toBe(36);
    expect(last.x).toBe(888);
    expect(third.x).toBeCloseTo(36 + (852 * 5) / 10);
    // 100 is at the top, 0 at the bottom.
    expect(second.y).toBeLessThan(third.y);
    expect(third.y).toBeLessThan(first.y);
    // Two runs of consecutive days with a line: 1–2 June; 6 June stands alone, as does 11 June.
    expect(container.querySelectorAll('polyline')).toHaveLength(1);
  });
});
