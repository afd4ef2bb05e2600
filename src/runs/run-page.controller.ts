import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiConsumes,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AnswerPageRenderer } from '../answers/answer-page-renderer.service';
import { ApiPageOrJson, ApiPageOrJsonError } from '../answers/answer-page.api';
import { AnswerPageExceptionFilter, wantsJson } from '../answers/answer-page.filter';
import { AnswerRateLimitGuard } from '../answers/answer-rate-limit.guard';
import { Public } from '../common/auth/public.decorator';
import { TIMED_ROUTE } from '../metrics/timed-route';
import { RunAnswerDto, RunAnswerResultDto, RunPageStateDto } from './dto/run-page.dto';
import { renderNotCurrent, renderRunAnswered, renderRunScreen } from './page/run-page.view';
import { RUN_PAGE_JS, RUN_PAGE_JS_PATH } from './page/run-page.assets';
import { NotCurrentQuestionException, RunParticipantService } from './run-participant.service';
import { RunStreamsService } from './run-streams.service';

const TOKEN_PARAM = {
  name: 'token',
  description: 'The personal token from the run link (`/r/{token}`): it is the credential',
};
const PAGE_OR_JSON = 'A page for a form post, the JSON error body for a JSON post';

/**
 * The participant's side of a run (issue 16, docs/architecture.md §28): one personal link for
 * every question of the run. Public (the token is the credential), rate limited and answered
 * like the answer page (AnswerRateLimitGuard, AnswerPageExceptionFilter, its headers).
 */
@ApiTags('run page')
@Public()
@UseGuards(AnswerRateLimitGuard)
@UseFilters(AnswerPageExceptionFilter)
@Controller()
export class RunPageController {
  constructor(
    private readonly participants: RunParticipantService,
    private readonly streams: RunStreamsService,
    private readonly renderer: AnswerPageRenderer,
  ) {}

  @Get('r/:token')
  @ApiOperation({
    summary: 'The run page (HTML, or the state as JSON)',
    description:
      "What this person should see now: the current question in its type's form with a countdown to its deadline; after answering or once the time is up a waiting screen (with the class's results of the question when the run shows results between questions and the time is up); at the end the person's total and rank. Instructor pacing: everyone is on the run's current question (a late joiner too). Self pacing: the first view of a question starts the person's own time limit; answering, or the time running out, moves them to the next. The page follows the run by itself (SSE on `/r/{token}/events`, polling `/r/{token}/state` as the fallback). `Accept: application/json` (without text/html) gets the state as JSON. Unknown links and question (`/q/`) links: 404.",
  })
  @ApiParam(TOKEN_PARAM)
  @ApiPageOrJson(HttpStatus.OK, 'The page, or the state as JSON', RunPageStateDto)
  @ApiPageOrJsonError(HttpStatus.NOT_FOUND, 'Unknown run link')
  @ApiPageOrJsonError(HttpStatus.TOO_MANY_REQUESTS, 'Rate limited (per IP); see Retry-After')
  async page(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // HEAD (a link preview, a check of the link) shows nobody a question: it starts no clock.
    const view = await this.participants.view(token, request.method !== 'HEAD');
    if (wantsJson(request)) {
      await reply
        .status(HttpStatus.OK)
        .headers(this.renderer.jsonHeaders())
        .send(this.participants.stateOf(view));
      return;
    }
    const text = this.renderer.textFor(request);
    const { phase, step } = view;
    const results =
      phase.phase === 'waiting' && phase.timeUp && view.link.run.show_results_between && step
        ? await this.participants.stepResults(step)
        : null;
    const standing =
      phase.phase === 'done' || phase.phase === 'ended'
        ? await this.participants.standing(view.link)
        : null;
    const page = renderRunScreen({
      renderer: this.renderer,
      text,
      token,
      view,
      query: request.query,
      results,
      standing,
    });
    await reply.status(HttpStatus.OK).headers(this.renderer.htmlHeaders(text.language)).send(page);
  }

  @Get('r/:token/state')
  @ApiOperation({
    summary: "The run's state for this person (JSON)",
    description:
      "The run's state and version, this person's phase and current question (id and position), its deadline and whether they answered it. The page polls it every 2 s when its event stream is unavailable. A self-paced read moves the person past a question whose time ran out, but never starts the clock on one they have not been shown (only the page does).",
  })
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ type: RunPageStateDto })
  @ApiPageOrJsonError(HttpStatus.NOT_FOUND, 'Unknown run link')
  @ApiPageOrJsonError(HttpStatus.TOO_MANY_REQUESTS, 'Rate limited (per IP); see Retry-After')
  async state(@Param('token') token: string): Promise<RunPageStateDto> {
    return this.participants.stateOf(await this.participants.view(token, false));
  }

  @Get('r/:token/events')
  @ApiOperation({
    summary: "The run's changes (Server-Sent Events)",
    description:
      "A `state` event on connect and whenever the run's version changes (a question opens, the run ends): RunStreamStateDto (run_state, version, current_index, deadline, ends_at), the same for everyone in the run; a `: heartbeat` comment every 15 s. A run moved on by another instance arrives within about a second. The page reloads when the version differs from the one it shows.",
  })
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ description: 'An event stream', content: { 'text/event-stream': {} } })
  @ApiPageOrJsonError(HttpStatus.NOT_FOUND, 'Unknown run link')
  async events(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Everything that can fail with a status happens before the stream starts.
    const link = await this.participants.resolve(token);
    this.streams.stream(link.run, request, reply);
  }

  @Post('r/:token/answer')
  @RouteConfig({ [TIMED_ROUTE]: 'answer' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Answer the run's current question (form post or JSON)",
    description:
      "`question_id` names the question answered (the bank question's id, as listed in the set and in the state's `question_id`), plus the value field of its type as on `POST /q/{token}/answer`. An answer naming a question that is not this person's current one gets 409 with the current question's id in `details[0].current_question_id` and is not stored. One answer per person and question, the first final (409 after). Accepted until the question's deadline plus ANSWER_GRACE_SECONDS (410 after, and once the run has ended). Self pacing: the answer moves the person to their next question. The answer is stored under the question's step broadcast, so the step's results, stream and leaderboard count it. A form post gets an HTML page back, JSON gets JSON.",
  })
  @ApiParam(TOKEN_PARAM)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiPageOrJson(
    HttpStatus.OK,
    'Stored: a confirmation page for a form post, the result as JSON for a JSON post',
    RunAnswerResultDto,
  )
  @ApiPageOrJsonError(
    HttpStatus.BAD_REQUEST,
    `The answer does not fit the question (\`details\` names the field), or question_id is missing or malformed. ${PAGE_OR_JSON}`,
  )
  @ApiPageOrJsonError(HttpStatus.NOT_FOUND, `Unknown run link. ${PAGE_OR_JSON}`)
  @ApiPageOrJsonError(
    HttpStatus.CONFLICT,
    `Not this person's current question (nothing stored; \`details[0].current_question_id\`), or already answered. ${PAGE_OR_JSON}`,
  )
  @ApiPageOrJsonError(
    HttpStatus.GONE,
    `The question's time has run out, or the run has ended. ${PAGE_OR_JSON}`,
  )
  @ApiPageOrJsonError(
    HttpStatus.TOO_MANY_REQUESTS,
    `Rate limited (per link and per IP), or this link's answers to the question from this client address are used up; see Retry-After. ${PAGE_OR_JSON}`,
  )
  async answer(
    @Param('token') token: string,
    @Body() dto: RunAnswerDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const json = wantsJson(request);
    const text = this.renderer.textFor(request);
    let answered;
    try {
      answered = await this.participants.answer(token, dto, {
        clientAddress: request.ip,
        acceptLanguage: request.headers['accept-language'],
      });
    } catch (error) {
      if (!json && error instanceof NotCurrentQuestionException) {
        await reply
          .status(HttpStatus.CONFLICT)
          .headers(this.renderer.htmlHeaders(text.language))
          .send(renderNotCurrent({ renderer: this.renderer, text, token }));
        return;
      }
      throw error;
    }
    const { answer, view, index, nextIndex } = answered;
    if (json) {
      const result: RunAnswerResultDto = {
        question_id: dto.question_id,
        question_index: index,
        answered_at: answer.answered_at.toISOString(),
        correct: answer.correct,
        score: answer.score,
        next_question_index: nextIndex,
      };
      await reply.status(HttpStatus.OK).headers(this.renderer.jsonHeaders()).send(result);
      return;
    }
    const page = renderRunAnswered({
      renderer: this.renderer,
      text,
      token,
      view,
      answer,
      nextIndex,
    });
    await reply.status(HttpStatus.OK).headers(this.renderer.htmlHeaders(text.language)).send(page);
  }

  @Get(RUN_PAGE_JS_PATH.slice(1))
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=31536000, immutable')
  script(): string {
    return RUN_PAGE_JS;
  }
}
