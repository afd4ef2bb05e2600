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
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteConfig } from '@nestjs/platform-fastify';
import { Public } from '../common/auth/public.decorator';
import { TIMED_ROUTE } from '../metrics/timed-route';
import { ApiPageOrJson, ApiPageOrJsonError, HTML_PAGE } from './answer-page.api';
import { AnswerPageExceptionFilter, wantsJson } from './answer-page.filter';
import { answerHtmlHeaders, answerPageHeaders } from './answer-page.headers';
import { AnswerRateLimitGuard } from './answer-rate-limit.guard';
import { answerValueOf, type StoredAnswer } from './answer.types';
import { AnswerContext, AnswersService } from './answers.service';
import { AnswerResultDto, toAnswerResult } from './dto/answer.response';
import { SubmitAnswerDto } from './dto/submit-answer.dto';
import { ANSWER_PAGE_CSS, ANSWER_PAGE_JS } from './page/answer-page.assets';
import {
  ANSWER_PAGE_CSS_PATH,
  ANSWER_PAGE_JS_PATH,
  PageQuestion,
  renderAnsweredPage,
  renderClosedPage,
  renderQuestionPage,
} from './page/answer-page.view';
import { pageTextFor } from './page/i18n/page-text';
import { rankingMoveState } from './page/ranking-moves';

const PAGE_OR_JSON = 'A page for a form post, the JSON error body for a JSON post';
const UNEXPECTED = 'Unexpected error (the JSON body carries a request_id to quote)';

const TOKEN_PARAM = {
  name: 'token',
  description: 'The personal token from the answer link: it is the credential (no API key)',
};

/**
 * The participant's side: the link from the Zoom message opens a server-rendered page; its form
 * posts the answer (no JavaScript needed). No instructor key: the token is the credential.
 */
@ApiTags('answer page')
@Public()
@UseGuards(AnswerRateLimitGuard)
@UseFilters(AnswerPageExceptionFilter)
@Controller()
export class AnswerPageController {
  constructor(private readonly answers: AnswersService) {}

  @Get('q/:token')
  @ApiOperation({
    summary: 'The answer page (HTML)',
    description:
      "The question in its type's form, and a countdown from this recipient's server-side deadline. The page's own words follow Accept-Language (en, es, fr, de, pt; English otherwise), sent back as Content-Language with `Vary: Accept-Language`. After answering (direct mode) it shows the answer given; after the deadline it shows the question as closed. An unknown token gets a 404 page. A ranking question's up/down buttons work without JavaScript by loading this page with `order` and `move`, which answer the same page in the new order (nothing is stored).",
  })
  @ApiParam(TOKEN_PARAM)
  @ApiQuery({
    name: 'order',
    required: false,
    description:
      'Ranking only: the current order of the option indices, repeated (order=2&order=0&order=1)',
    schema: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 9 } },
    style: 'form',
    explode: true,
  })
  @ApiQuery({
    name: 'move',
    required: false,
    description:
      'Ranking only: one option one place up or down, `up:<index>` or `down:<index>`; anything else is ignored',
    schema: { type: 'string', pattern: '^(up|down):\\d{1,2}$', example: 'up:2' },
  })
  @ApiOkResponse({ description: 'The page', content: HTML_PAGE })
  @ApiPageOrJsonError(
    HttpStatus.NOT_FOUND,
    'Unknown link: a page, or the JSON error body when Accept asks for JSON and not HTML',
  )
  @ApiPageOrJsonError(HttpStatus.TOO_MANY_REQUESTS, 'Rate limited (per IP); see Retry-After')
  @ApiPageOrJsonError(HttpStatus.INTERNAL_SERVER_ERROR, UNEXPECTED)
  async page(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const text = pageTextFor(request);
    const state = await this.answers.pageState(token);
    const question = pageQuestion(state.context);
    const answered: StoredAnswer | null = state.kind === 'answered' ? state.answer : null;
    const page =
      state.kind === 'open'
        ? renderQuestionPage({
            token,
            question,
            text,
            remainingMs: state.remainingMs,
            askIdentity: state.context.broadcast.mode === 'channel',
            ...rankingMoveState(question, request.query),
          })
        : state.kind === 'answered'
          ? renderAnsweredPage({
              question,
              text,
              // Null on an anonymous question: its link no longer leads to the answer.
              answer: answered === null ? null : answerValueOf(answered),
              correct: answered?.correct ?? null,
              score: answered?.score ?? 0,
              justAnswered: false,
            })
          : renderClosedPage(question, text);
    await reply.status(HttpStatus.OK).headers(answerHtmlHeaders(text.language)).send(page);
  }

  @Post('q/:token/answer')
  @RouteConfig({ [TIMED_ROUTE]: 'answer' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Answer (form post or JSON)',
    description:
      "The answer is the field of the question's type: `choice` (single, true_false), `choices` (multiple), `value` (rating, numeric), `text` (text) or `order` (ranking); the others are ignored. A value that does not fit the question is a 400 naming the field and the reason. The first answer is final. Accepted until the recipient's deadline plus ANSWER_GRACE_SECONDS. On an anonymous question the answer is stored with no link to the person; the link still takes one answer. A form post (`application/x-www-form-urlencoded`) gets an HTML page back, JSON gets JSON. In channel mode (one shared link) `name` and `email` are required and the answer is recorded as self-reported under the lower-cased email (key `self:<email>`), never on a Zoom-identified person. Each link accepts at most ANSWERS_PER_LINK_PER_ADDRESS answers per client address (429). Rate limited per link and per IP.",
  })
  @ApiParam(TOKEN_PARAM)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiPageOrJson(
    HttpStatus.OK,
    'Stored: a confirmation page for a form post, the result as JSON for a JSON post',
    AnswerResultDto,
  )
  @ApiPageOrJsonError(
    HttpStatus.BAD_REQUEST,
    `The answer does not fit the question (out of range, a duplicate, too many choices, not a permutation, too long, not a number: \`details\` names the field), or name/email missing in channel mode. ${PAGE_OR_JSON} (malformed JSON or an over-long token: always JSON)`,
  )
  @ApiPageOrJsonError(HttpStatus.NOT_FOUND, `Unknown link. ${PAGE_OR_JSON}`)
  @ApiPageOrJsonError(
    HttpStatus.CONFLICT,
    `Already answered: the first answer is final. ${PAGE_OR_JSON}`,
  )
  @ApiPageOrJsonError(HttpStatus.GONE, `Closed: the time to answer has run out. ${PAGE_OR_JSON}`)
  @ApiPageOrJsonError(
    HttpStatus.TOO_MANY_REQUESTS,
    `Rate limited (per link and per IP), or this link's answers from this client address are used up; see Retry-After. ${PAGE_OR_JSON}`,
  )
  @ApiPageOrJsonError(HttpStatus.INTERNAL_SERVER_ERROR, `${UNEXPECTED}. ${PAGE_OR_JSON}`)
  async answer(
    @Param('token') token: string,
    @Body() dto: SubmitAnswerDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { context, answer } = await this.answers.submit(token, dto, {
      clientAddress: request.ip,
      acceptLanguage: request.headers['accept-language'],
    });
    const result = toAnswerResult(context, answer);
    if (wantsJson(request)) {
      await reply.status(HttpStatus.OK).headers(answerPageHeaders()).send(result);
      return;
    }
    const text = pageTextFor(request);
    const page = renderAnsweredPage({
      question: pageQuestion(context),
      text,
      answer: answerValueOf(answer),
      correct: result.correct,
      score: result.score ?? 0,
      justAnswered: true,
    });
    await reply.status(HttpStatus.OK).headers(answerHtmlHeaders(text.language)).send(page);
  }

  @Get(ANSWER_PAGE_CSS_PATH.slice(1))
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=31536000, immutable')
  stylesheet(): string {
    return ANSWER_PAGE_CSS;
  }

  @Get(ANSWER_PAGE_JS_PATH.slice(1))
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=31536000, immutable')
  script(): string {
    return ANSWER_PAGE_JS;
  }
}

function pageQuestion(context: AnswerContext): PageQuestion {
  return {
    ...context.broadcast.question,
    anonymous: context.broadcast.anonymous,
    revealed: context.revealed,
  };
}
