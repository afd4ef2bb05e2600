import { Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { EventEmitter } from 'node:events';
import type { AnswersRepository } from '../answers.repository';
import type { AnswersService } from '../answers.service';
import { LiveAnswersService } from './live-answers.service';

const A = new Types.ObjectId().toHexString();
const B = new Types.ObjectId().toHexString();

function setup(setName: string | null | Error, hasIndex = true) {
  const events = new EventEmitter();
  const watches: Array<{ pipeline: Record<string, unknown>[]; close: jest.Mock }> = [];
  const repository = {
    replicaSetName: jest.fn(() =>
      setName instanceof Error ? Promise.reject(setName) : Promise.resolve(setName),
    ),
    hasIndex: jest.fn(() => Promise.resolve(hasIndex)),
    newerThan: jest.fn(() => Promise.resolve([])),
    countsFor: jest.fn(() => Promise.resolve(new Map())),
    watch: jest.fn((pipeline: Record<string, unknown>[]) => {
      const stream = Object.assign(new EventEmitter(), {
        close: jest.fn(() => Promise.resolve()),
      });
      watches.push({ pipeline, close: stream.close });
      // The server answers at once.
      setImmediate(() => stream.emit('resumeTokenChanged', { _data: 'opened' }));
      return stream;
    }),
  };
  const service = new LiveAnswersService(
    { events } as unknown as AnswersService,
    repository as unknown as AnswersRepository,
  );
  return { service, events, repository, watches };
}

describe('LiveAnswersService', () => {
  let logs: string[];
  let warnings: string[];
  beforeEach(() => {
    logs = [];
    warnings = [];
    jest
      .spyOn(Logger.prototype, 'log')
      .mockImplementation((m: unknown) => void logs.push(String(m)));
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((m: unknown) => void warnings.push(String(m)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('on a replica set: change streams, said once at startup', async () => {
    const { service, watches } = setup('rs0');
    service.onApplicationBootstrap();
    const stop = await service.subscribe(A, { answer: () => undefined, gap: () => undefined });
    expect(logs).toEqual(['live updates: change streams (replica set rs0)']);
    expect(watches).toHaveLength(1);
    stop();
    await service.onApplicationShutdown();
  });

  it('on a standalone server: the poll, and a warning when its index is missing', async () => {
    const { service } = setup(null, false);
    service.onApplicationBootstrap();
    const stop = await service.subscribe(A, { answer: () => undefined, gap: () => undefined });
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs).toEqual(['live updates: polling every 250 ms (not a replica set)']);
    expect(warnings.join('\n')).toMatch(/index \{ broadcast_id: 1, _id: 1 \} is missing/);
    stop();
    await service.onApplicationShutdown();
  });

  it('when the database does not answer at startup: the poll, with the reason', async () => {
    const { service } = setup(new Error('connection refused'));
    service.onApplicationBootstrap();
    const stop = await service.subscribe(A, { answer: () => undefined, gap: () => undefined });
    expect(logs).toEqual([
      'live updates: polling every 250 ms (the database did not answer hello: connection refused)',
    ]);
    stop();
    await service.onApplicationShutdown();
  });

  it('one feed follows every broadcast with a listener, from the first to the last', async () => {
    const { service, watches, events } = setup('rs0');
    service.onApplicationBootstrap();
    const heard: string[] = [];
    const listener = (name: string) => ({
      answer: (a: { answerId?: string }) => void heard.push(`${name}:${a.answerId}`),
      gap: () => undefined,
    });
    const stops = [
      await service.subscribe(A, listener('a1')),
      await service.subscribe(A, listener('a2')),
      await service.subscribe(B, listener('b1')),
    ];
    expect(service.followed).toBe(2);
    // Two broadcasts: the first stream of each (re)opens the feed; the second stream of A does not.
    expect(watches).toHaveLength(2);
    const match = (watches[1].pipeline[0] as { $match: Record<string, { $in: unknown[] }> }).$match;
    expect(match['fullDocument.broadcast_id'].$in.map(String)).toEqual([A, B]);

    // This instance's own answers reach the listeners of their broadcast only.
    events.emit('answer', { broadcastId: A, answerId: 'x', correct: null, score: 0 });
    events.emit('answer', { broadcastId: new Types.ObjectId().toHexString(), answerId: 'y' });
    expect(heard).toEqual(['a1:x', 'a2:x']);

    stops[0]();
    expect(service.followed).toBe(2);
    stops[1]();
    stops[2]();
    expect(service.followed).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(watches.every((w) => w.close.mock.calls.length > 0)).toBe(true);
    await service.onApplicationShutdown();
  });
});
