/** JSON that tests, records or another run's artifact wrote: parsed without the keys that mean something to objects. */

/** Keys no leakwatch record or report has, which could reach an object's prototype if one were ever merged. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class ForbiddenKeyError extends Error {
  constructor(readonly key: string) {
    super(`a key named ${key}`);
  }
}

/** JSON.parse that refuses forbidden keys: throws ForbiddenKeyError for one, SyntaxError for text that is not JSON. */
export function parseUntrustedJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyError(key);
    return value;
  });
}
