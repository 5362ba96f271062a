/**
 * leakwatch's own workflow commands, for the action only: annotations and the step's failure, written outside any
 * fence, their text cleaned by `inert`. Apart from src/log.ts so that the CLI does not load @actions/core.
 */
import * as core from '@actions/core';
import { inert } from './log.js';

export interface AnnotationPlace {
  title?: string;
  file?: string;
  startLine?: number;
}

/** A warning or error annotation: its text cleaned of control characters and of anything the runner could run. */
export function annotate(level: 'warning' | 'error', message: string, place: AnnotationPlace = {}): void {
  const properties = {
    ...place,
    ...(place.title === undefined ? {} : { title: inert(place.title) }),
    ...(place.file === undefined ? {} : { file: inert(place.file) }),
  };
  if (level === 'error') core.error(inert(message), properties);
  else core.warning(inert(message), properties);
}

/** Fails the step, saying why; the message may quote data. */
export function fail(message: string): void {
  core.setFailed(inert(message));
}
