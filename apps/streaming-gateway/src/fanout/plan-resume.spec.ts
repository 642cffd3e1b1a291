import { planResume } from './plan-resume';

describe('planResume', () => {
  const stream = { exists: true, lastId: '100-0', firstId: '50-0', maxDeletedId: '0-0' };

  it('starts at the live edge without a position', () => {
    expect(planResume(undefined, stream)).toEqual({ replay: false, reason: 'no_position' });
  });

  it('replays from a position the stream still holds, including its last entry', () => {
    expect(planResume('50-0', stream)).toEqual({ replay: true, since: '50-0' });
    expect(planResume('100-0', stream)).toEqual({ replay: true, since: '100-0' });
  });

  it('reports trimmed for a position older than the oldest entry', () => {
    expect(planResume('49-9', stream)).toEqual({ replay: false, reason: 'trimmed' });
  });

  it('reports trimmed for a position beyond the stream end (a recreated stream)', () => {
    expect(planResume('100-1', stream)).toEqual({ replay: false, reason: 'trimmed' });
  });

  it('reports trimmed when an entry after the position was deleted', () => {
    expect(planResume('60-0', { ...stream, maxDeletedId: '70-0' })).toEqual({ replay: false, reason: 'trimmed' });
  });

  it('reports trimmed for an emptied stream that had entries after the position', () => {
    expect(planResume('60-0', { exists: true, lastId: '100-0' })).toEqual({ replay: false, reason: 'trimmed' });
    expect(planResume('100-0', { exists: true, lastId: '100-0' })).toEqual({ replay: true, since: '100-0' });
  });
});
