import {
  Body,
  Controller,
  Get,
  Header,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { CurrentActor, hasRole, RequireRole, type Actor } from '../common/auth/actor';
import { Public } from '../common/auth/public.decorator';
import { consolePageHeaders } from '../common/http/private-page-headers';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { ParseMeetingNumberPipe } from '../zoom/meeting-number.pipe';
import { clearCookie, readCookie, setCookie } from './console-cookies';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsoleGuard, SignedOutOk } from './console.guard';
import { ConsolePagesService, type FormBody } from './console-pages.service';
import { CONSOLE_CSS, CONSOLE_JS } from './page/console.assets';
import { renderSignIn } from './page/console.view';
import { SessionsService } from './sessions.service';

/** How long the sign-in form's CSRF cookie lives: long enough to type a key. */
const SIGN_IN_CSRF_SECONDS = 60 * 60;

/** Where to go after signing in: only a console path of this site, never another origin. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/[A-Za-z0-9/_?=&.%-]*)?$/.test(next)
    ? next
    : '/console/questions';
}

/**
 * The instructor console (docs/architecture.md §15): server-rendered pages whose forms post here
 * and are answered with 303 (so they work without JavaScript), signed in by a session cookie.
 * Every page is built from the same services the documented API calls; the live parts read the
 * API itself (the results stream, results.csv) with the session cookie.
 */
@ApiExcludeController()
@Public()
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly pages: ConsolePagesService,
  ) {}

  // ------------------------------------------------------------ signing in and out

  @Get()
  @SignedOutOk()
  async home(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('next') next?: string,
  ): Promise<void> {
    const actor = await this.sessions.resolve(readCookie(request, this.sessions.cookies.session));
    if (actor) return redirect(reply, safeNext(next));
    await this.signInForm(reply, HttpStatus.OK, next);
  }

  @Post('session')
  @SignedOutOk()
  async signIn(
    @Req() request: FastifyRequest,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.sessions.checkOrigin(request);
    const expected = readCookie(request, this.sessions.cookies.signInCsrf);
    if (!expected || body._csrf !== expected) {
      return this.signInForm(
        reply,
        HttpStatus.FORBIDDEN,
        body.next,
        'The form had expired. Please sign in again.',
      );
    }
    const key = typeof body.api_key === 'string' ? body.api_key.trim() : '';
    try {
      if (key === '') throw new UnauthorizedException('Enter your API key');
      const session = await this.sessions.signIn(key);
      setCookie(reply, this.sessions.cookies.session, session.cookieValue, {
        secure: this.sessions.secure,
        maxAgeSeconds: session.maxAgeSeconds,
      });
      clearCookie(reply, this.sessions.cookies.signInCsrf, this.sessions.secure);
      return redirect(reply, safeNext(body.next));
    } catch (error) {
      if (!(error instanceof UnauthorizedException)) throw error;
      return this.signInForm(
        reply,
        HttpStatus.UNAUTHORIZED,
        body.next,
        `${error.message}. Check the key and try again.`,
      );
    }
  }

  @Post('logout')
  @RequireRole('assistant')
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.signOut(readCookie(request, this.sessions.cookies.session));
    clearCookie(reply, this.sessions.cookies.session, this.sessions.secure);
    return redirect(reply, '/console');
  }

  private async signInForm(
    reply: FastifyReply,
    status: number,
    next: unknown,
    error?: string,
  ): Promise<void> {
    const token = randomBytes(24).toString('base64url');
    setCookie(reply, this.sessions.cookies.signInCsrf, token, {
      secure: this.sessions.secure,
      maxAgeSeconds: SIGN_IN_CSRF_SECONDS,
    });
    await page(
      reply,
      status,
      renderSignIn({ csrf: token, error, next: next === undefined ? undefined : safeNext(next) }),
    );
  }

  // ------------------------------------------------------------ question bank

  @Get('questions')
  @RequireRole('instructor')
  async questions(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    await page(reply, HttpStatus.OK, await this.pages.questions(actor, this.csrf(request), query));
  }

  @Get('questions/new')
  @RequireRole('instructor')
  async newQuestion(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, HttpStatus.OK, this.pages.questionForm(actor, this.csrf(request), null));
  }

  @Post('questions')
  @RequireRole('instructor')
  async createQuestion(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.pages.saveQuestion(actor, this.csrf(request), null, body);
    if (outcome.page) return page(reply, HttpStatus.BAD_REQUEST, outcome.page);
    return redirect(reply, '/console/questions?done=created');
  }

  @Get('questions/:id/edit')
  @RequireRole('instructor')
  async editQuestion(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, HttpStatus.OK, await this.pages.editForm(actor, this.csrf(request), id));
  }

  @Post('questions/:id')
  @RequireRole('instructor')
  async saveQuestion(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.pages.saveQuestion(actor, this.csrf(request), id, body);
    if (outcome.page) return page(reply, HttpStatus.BAD_REQUEST, outcome.page);
    return redirect(reply, '/console/questions?done=saved');
  }

  @Get('questions/:id/delete')
  @RequireRole('instructor')
  async confirmDelete(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, HttpStatus.OK, await this.pages.confirmDelete(actor, this.csrf(request), id));
  }

  @Post('questions/:id/delete')
  @RequireRole('instructor')
  async deleteQuestion(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.pages.deleteQuestion(actor, id);
    return redirect(reply, '/console/questions?done=deleted');
  }

  // ------------------------------------------------------------ meetings and sending

  @Get('meetings')
  @RequireRole('assistant')
  async meetings(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, HttpStatus.OK, await this.pages.meetings(actor, this.csrf(request)));
  }

  @Get('meetings/:meeting_id')
  @RequireRole('assistant')
  async room(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('meeting_id', ParseMeetingNumberPipe) meetingId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, HttpStatus.OK, await this.pages.room(actor, this.csrf(request), meetingId));
  }

  @Post('meetings/:meeting_id/send')
  @RequireRole('instructor')
  async send(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('meeting_id', ParseMeetingNumberPipe) meetingId: string,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.pages.send(actor, this.csrf(request), meetingId, body);
    if ('page' in outcome) return page(reply, outcome.status, outcome.page);
    return redirect(reply, `/console/broadcasts/${outcome.broadcastId}?done=sent`);
  }

  @Post('meetings/:meeting_id/runs')
  @RequireRole('instructor')
  async startRun(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('meeting_id', ParseMeetingNumberPipe) meetingId: string,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.pages.startRun(actor, this.csrf(request), meetingId, body);
    if ('page' in outcome) return page(reply, outcome.status, outcome.page);
    return redirect(reply, `/console/runs/${outcome.runId}?done=run_started`);
  }

  // ------------------------------------------------------------ runs of question sets

  @Get('runs/:id')
  @RequireRole('assistant')
  async run(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, HttpStatus.OK, await this.pages.run(actor, this.csrf(request), id, query));
  }

  @Post('runs/:id/next')
  @RequireRole('instructor')
  async nextQuestion(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.pages.next(actor, this.csrf(request), id, body);
    if ('page' in outcome) return page(reply, outcome.status, outcome.page);
    const done = outcome.ended ? 'done=run_ended' : `done=next&n=${outcome.position}`;
    return redirect(reply, `/console/runs/${id.toHexString()}?${done}`);
  }

  @Post('runs/:id/end')
  @RequireRole('instructor')
  async endRun(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.pages.endRun(actor, id);
    return redirect(reply, `/console/runs/${id.toHexString()}?done=run_ended`);
  }

  // ------------------------------------------------------------ live results

  @Get('broadcasts/:id')
  @RequireRole('assistant')
  async results(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const html = await this.pages.results(actor, this.csrf(request), id, query, {
      canControl: hasRole(actor.role, 'instructor'),
      canRemind: hasRole(actor.role, 'assistant'),
    });
    await page(reply, HttpStatus.OK, html);
  }

  @Get('broadcasts/:id/present')
  @RequireRole('assistant')
  async present(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query('names') names: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(
      reply,
      HttpStatus.OK,
      await this.pages.presenter(actor, this.csrf(request), id, names === '1'),
    );
  }

  @Post('broadcasts/:id/remind')
  @RequireRole('assistant')
  async remind(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const reminded = await this.pages.remind(actor, id);
    return redirect(reply, `/console/broadcasts/${id.toHexString()}?done=reminded&n=${reminded}`);
  }

  @Post('broadcasts/:id/close')
  @RequireRole('instructor')
  async close(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.pages.close(actor, id);
    return redirect(reply, `/console/broadcasts/${id.toHexString()}?done=closed`);
  }

  @Post('broadcasts/:id/reveal')
  @RequireRole('instructor')
  async reveal(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.pages.reveal(actor, id);
    return redirect(reply, `/console/broadcasts/${id.toHexString()}?done=revealed`);
  }

  // ------------------------------------------------------------ assets

  @Get('assets/console.css')
  @SignedOutOk()
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=31536000, immutable')
  stylesheet(): string {
    return CONSOLE_CSS;
  }

  @Get('assets/console.js')
  @SignedOutOk()
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=31536000, immutable')
  script(): string {
    return CONSOLE_JS;
  }

  /** The CSRF token of the request's session (the guard has resolved it). */
  private csrf(request: FastifyRequest): string {
    const cookie = readCookie(request, this.sessions.cookies.session);
    return cookie ? this.sessions.csrfToken(cookie) : '';
  }
}

async function page(reply: FastifyReply, status: number, html: string): Promise<void> {
  await reply
    .status(status)
    .headers(consolePageHeaders())
    .header('content-type', 'text/html; charset=utf-8')
    .send(html);
}

async function redirect(reply: FastifyReply, location: string): Promise<void> {
  await reply
    .status(HttpStatus.SEE_OTHER)
    .headers(consolePageHeaders())
    .header('location', location)
    .send();
}
