import type { Clock } from '../../src-main/core';

/** A clock tests move by hand, so expiry is tested without waiting. */
export class TestClock implements Clock {
  constructor(private t = Date.UTC(2026, 10, 1, 8, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const SECOND = 1000;
export const DAY = 86_400 * SECOND;
