import { TypedEmitter } from './typed-emitter';

interface Events {
  tick: [n: number];
  done: [];
}

class Emitter extends TypedEmitter<Events> {
  fire<K extends keyof Events>(event: K, ...args: Events[K]): void {
    this.emit(event, ...args);
  }
}

describe('TypedEmitter', () => {
  it('calls listeners in order until they are removed', () => {
    const emitter = new Emitter();
    const seen: string[] = [];
    const off = emitter.on('tick', (n) => seen.push(`a${n}`));
    emitter.on('tick', (n) => seen.push(`b${n}`));
    emitter.fire('tick', 1);
    off();
    emitter.fire('tick', 2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(emitter.listenerCount('tick')).toBe(1);
  });

  it('runs a once listener a single time', () => {
    const emitter = new Emitter();
    let count = 0;
    emitter.once('done', () => count++);
    emitter.fire('done');
    emitter.fire('done');
    expect(count).toBe(1);
  });

  it('keeps calling the other listeners when one throws and hands the error over', () => {
    const failures: unknown[] = [];
    const emitter = new (class extends TypedEmitter<Events> {
      constructor() {
        super((error, event) => failures.push([event, (error as Error).message]));
      }
      fire(n: number): void {
        this.emit('tick', n);
      }
    })();
    const seen: number[] = [];
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.on('tick', (n) => seen.push(n));
    emitter.fire(7);
    expect(seen).toEqual([7]);
    expect(failures).toEqual([['tick', 'boom']]);
  });
});
