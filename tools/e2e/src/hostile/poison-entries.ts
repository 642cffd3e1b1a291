import { randomUUID } from 'node:crypto';

/** A stream entry a foreign producer could XADD, and the reason it must be dead-lettered with. */
export interface PoisonEntry {
  /** What is wrong with it, for test messages. */
  readonly name: string;
  /** Its field/value list. */
  readonly fields: Array<string | Buffer>;
  /** What `dlq_error` must say (libs/redis-client decodeEntry / validateEvent reasons). */
  readonly reason: RegExp;
}

/** The input streams of the alert service, with a valid and a schema-invalid payload of their own type. */
export const INPUT_STREAMS = {
  market_data: { type: 'price_update', valid: { symbol: 'POISON', price: 1, currency: 'USD' }, invalid: { symbol: 'POISON', price: -5, currency: 'USD' }, invalidReason: /data\/price must be > 0/ },
  portfolio_updates: { type: 'portfolio_snapshot', valid: { portfolioId: 'p-poison', totalValue: 1, holdings: [], targets: {} }, invalid: { portfolioId: 'p-poison', totalValue: -1, holdings: [], targets: {} }, invalidReason: /data\/totalValue must be >= 0/ },
  risk_events: { type: 'risk_metric', valid: { portfolioId: 'p-poison', metric: 'var_95', value: 0.1 }, invalid: { portfolioId: 'p-poison', metric: 'var_95', value: 'high' }, invalidReason: /data\/value must be number/ },
} as const;

/** One of {@link INPUT_STREAMS}. */
export type InputStream = keyof typeof INPUT_STREAMS;

/** The fields of an envelope as the library writes them, with some replaced (`undefined`: left out). */
function envelope(stream: InputStream, replace: Record<string, string | undefined> = {}): string[] {
  const { type, valid } = INPUT_STREAMS[stream];
  const fields: Record<string, string | undefined> = {
    specversion: '1.0',
    id: randomUUID(),
    source: '/foreign-producer',
    type,
    time: new Date().toISOString(),
    subject: 'POISON',
    datacontenttype: 'application/json',
    data: JSON.stringify(valid),
    ...replace,
  };
  return Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : [name, value]));
}

/** Size of the oversized entry: 2 MiB, twice the gateway's hard frame cap. */
export const OVERSIZED_BYTES = 2 * 1024 * 1024;

/** Every kind of poisoned entry, for one input stream. */
export function poisonEntries(stream: InputStream): PoisonEntry[] {
  const { invalid, invalidReason } = INPUT_STREAMS[stream];
  return [
    { name: 'data that is not JSON', fields: envelope(stream, { data: '{"symbol":"POISON",' }), reason: /data is not valid JSON/ },
    { name: 'an empty data field', fields: envelope(stream, { data: '' }), reason: /data is not valid JSON/ },
    { name: 'missing envelope fields', fields: ['type', INPUT_STREAMS[stream].type, 'data', '{}'], reason: /missing fields specversion, id, source, time, datacontenttype/ },
    { name: 'a payload against its schema', fields: envelope(stream, { data: JSON.stringify(invalid) }), reason: invalidReason },
    { name: 'an envelope against its schema', fields: envelope(stream, { specversion: '0.3' }), reason: /event\/specversion/ },
    { name: 'a time that is no time', fields: envelope(stream, { time: 'yesterday' }), reason: /event\/time must match format/ },
    { name: 'an unknown event type', fields: envelope(stream, { type: 'price_updated' }), reason: /unknown event type "price_updated"/ },
    { name: 'bytes that are not UTF-8', fields: [Buffer.from([0xff, 0xfe]), Buffer.from([0x00, 0xff, 0x01])], reason: /missing fields/ },
    {
      name: 'an oversized entry (2 MiB)',
      fields: envelope(stream, { data: JSON.stringify({ ...INPUT_STREAMS[stream].valid, symbol: 'X'.repeat(OVERSIZED_BYTES), portfolioId: 1 }) }),
      reason: /must NOT have more than 32 characters|must be string/,
    },
  ];
}

/** Dead-letter entries as field maps (XRANGE reply of `<stream>:dlq`). */
export function readDeadLetters(reply: Array<[string, string[]]>): Array<Record<string, string>> {
  return reply.map(([, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
    return record;
  });
}
