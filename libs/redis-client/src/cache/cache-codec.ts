import { CacheValueError } from './cache-errors';

/**
 * Turns a value into the JSON text the cache stores. Throws {@link CacheValueError} for
 * what JSON cannot carry: `undefined` (a miss could not be told from it), functions,
 * symbols, BigInts and cyclic objects.
 */
export function encodeCacheValue(value: unknown): string {
  if (value === undefined) throw new CacheValueError('undefined cannot be cached (it reads back as a miss)');
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new CacheValueError(`value cannot be serialized as JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new CacheValueError(`a ${typeof value} cannot be serialized as JSON`);
  return text;
}

/** Parses stored JSON text back into a value; `undefined` for text that is not JSON. */
export function decodeCacheValue<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
