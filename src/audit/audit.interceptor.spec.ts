import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { lastValueFrom, of, throwError } from 'rxjs';
import type { Actor } from '../common/auth/actor';
import { AuditInterceptor } from './audit.interceptor';
import type { AuditEvent, AuditService } from './audit.service';
import { AUDIT_ACTION } from './audited.decorator';

const actor: Actor = {
  instructorId: '665f1c2e8a1b2c3d4e5f6a7b',
  role: 'assistant',
  name: 'Ann',
  email: 'ann@example.com',
  zoomUserId: null,
  credentialId: 'k1',
  keyPrefix: 'zlq_ab',
  credentialExpiresAt: null,
};

function setup(action: string | undefined) {
  const recorded: AuditEvent[] = [];
  const audit = { record: (e: AuditEvent) => (recorded.push(e), Promise.resolve()) };
  const interceptor = new AuditInterceptor(new Reflector(), audit as unknown as AuditService);
  const handler = () => undefined;
  if (action) Reflect.defineMetadata(AUDIT_ACTION, action, handler);
  const request = {
    id: 'req-1',
    params: { id: '665f1c2e8a1b2c3d4e5f6a7c' },
    body: { meeting_id: 85746352413, question_link: 'https://x.example/secret' },
    actor,
  };
  const reply = { statusCode: 202, getHeader: () => undefined };
  const context = new ExecutionContextHost([request, reply], undefined, handler);
  context.setType('http');
  return { interceptor, context, recorded };
}

describe('AuditInterceptor', () => {
  it('records a success with the actor, the target and numbers from the answer only', async () => {
    const { interceptor, context, recorded } = setup('broadcast.reminded');
    const answer = { reminded: 3, note: 'ann@example.com' };
    await lastValueFrom(interceptor.intercept(context, { handle: () => of(answer) }));
    expect(recorded).toEqual([
      {
        action: 'broadcast.reminded',
        outcome: 'succeeded',
        status: 202,
        actor,
        targetId: '665f1c2e8a1b2c3d4e5f6a7c',
        meetingId: null,
        requestId: 'req-1',
        replayed: false,
        details: { reminded: 3 },
      },
    ]);
  });

  it('records a 403 raised inside the route as denied, and passes the error on', async () => {
    const { interceptor, context, recorded } = setup('link.sent');
    const denied = interceptor.intercept(context, {
      handle: () => throwError(() => new ForbiddenException('no grant')),
    });
    await expect(lastValueFrom(denied)).rejects.toBeInstanceOf(ForbiddenException);
    expect(recorded).toEqual([
      expect.objectContaining({ outcome: 'denied', status: 403, meetingId: '85746352413' }),
    ]);
  });

  it('records nothing for other failures or unaudited routes', async () => {
    const failed = setup('question.deleted');
    const missing = failed.interceptor.intercept(failed.context, {
      handle: () => throwError(() => new NotFoundException()),
    });
    await expect(lastValueFrom(missing)).rejects.toBeInstanceOf(NotFoundException);
    const plain = setup(undefined);
    await lastValueFrom(plain.interceptor.intercept(plain.context, { handle: () => of({}) }));
    expect([...failed.recorded, ...plain.recorded]).toEqual([]);
  });
});
