import { fullFormats } from 'ajv-formats/dist/formats';
import { isRfc3339DateTime } from './date-time-format';

const reference = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

describe('isRfc3339DateTime', () => {
  const samples = [
    '2026-03-01T12:00:00Z', '2026-03-01t12:00:00z', '2026-03-01 12:00:00Z', '2026-03-01\u00a012:00:00Z', '2026-03-01\t12:00:00Z',
    '2026-03-01T12:00:00.123456Z', '2026-03-01T12:00:00+01:00', '2026-03-01T12:00:00-0130', '2026-03-01T12:00:00+01',
    '2026-03-01T12:00:00', '2026-03-01T12:00Z', '2026-03-01TT12:00:00Z', '2026-03-01T 12:00:00Z', '2026-03-01T12:00:00ZZ',
    '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-32T00:00:00Z',
    '2026-06-30T23:59:60Z', '2026-06-30T23:59:60.5Z', '2026-06-30T23:59:61Z', '2026-06-30T22:59:60Z', '2026-06-30T22:59:60-01:00',
    '2026-07-01T00:59:60+01:00', '2026-07-01T00:29:60+00:30', '2026-06-30T24:00:00Z', '2026-06-30T23:60:00Z',
    '2026-06-30T12:00:00+24:00', '2026-06-30T12:00:00+23:60', '2026-06-30T12:00:00+23:59', '2026-06-30T12:00:00.Z',
    '26-06-30T12:00:00Z', '2026-6-30T12:00:00Z', '2026-06-30T12:00:00Z\n', ' 2026-06-30T12:00:00Z', '', 'yesterday',
    '２０２６-06-30T12:00:00Z', '2026-06-30T12:00:00+01:0', '2026-06-30T12:00:00+0100', '2026-06-30\u202812:00:00Z',
  ];

  it('accepts exactly what ajv-formats full date-time accepts', () => {
    for (const sample of samples) expect([sample, isRfc3339DateTime(sample)]).toEqual([sample, reference(sample)]);
  });

  it('agrees with it on random strings built from date-time characters', () => {
    const alphabet = '0123456789-:.+TtZz \u00a0x';
    const template = '2026-06-30T23:59:60.5+01:00';
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 20_000; n++) {
      const chars = [...template];
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * chars.length);
        const pick = alphabet[Math.floor(random() * alphabet.length)];
        const action = random();
        if (action < 0.6) chars[at] = pick;
        else if (action < 0.8) chars.splice(at, 1);
        else chars.splice(at, 0, pick);
      }
      const sample = chars.join('');
      expect([sample, isRfc3339DateTime(sample)]).toEqual([sample, reference(sample)]);
    }
  });
});
