import type { TestingModuleBuilder } from '@nestjs/testing';
import { Clock } from '../../src/common/clock';

/**
 * A Clock a test can set: the system time until `set` is called, then exactly the time set, until
 * `reset`. Lets a test put a request at a chosen instant of the answer window instead of racing
 * the wall clock for it.
 */
export class SettableClock extends Clock {
  private fixed: Date | null = null;

  override now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  set(at: Date | number): void {
    this.fixed = new Date(at);
  }

  reset(): void {
    this.fixed = null;
  }

  /** For createTestApp's `customize`: the app reads this clock instead of the system one. */
  install(builder: TestingModuleBuilder): TestingModuleBuilder {
    return builder.overrideProvider(Clock).useValue(this);
  }
}
