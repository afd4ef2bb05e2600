import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The current time, for rules whose outcome hangs on it (the answer window and its grace). Read
 * through this provider rather than `new Date()` so a test can set the time and pin such a rule
 * exactly; production always gets the system clock.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** Provides the one Clock to every module. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
