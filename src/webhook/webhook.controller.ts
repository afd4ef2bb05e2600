import { Controller, HttpCode, HttpStatus, Post, Req, UnauthorizedException } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../common/auth/public.decorator';
import { ErrorBodyDto } from '../common/errors/error-body';
import { WorksWithoutDatabase } from '../database/database-available.guard';
import { TIMED_ROUTE } from '../metrics/timed-route';
import { UrlValidationResponseDto, WebhookAckDto } from './dto/webhook.response';
import { verifiedSecretOf, ZOOM_SIGNED_ROUTE } from './webhook-signature.hook';
import { WebhookService } from './webhook.service';

function isUrlValidation(request: FastifyRequest): boolean {
  return (request.body as { event?: unknown } | null)?.event === 'endpoint.url_validation';
}

@ApiTags('zoom')
@ApiExtraModels(UrlValidationResponseDto, WebhookAckDto)
@Controller('api/zoom')
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post('webhook')
  @Public() // Zoom's signature is the credential (checked before parsing by WebhookSignatureHook)
  @RouteConfig({ [ZOOM_SIGNED_ROUTE]: true, [TIMED_ROUTE]: 'webhook_ack' })
  // URL validation needs no database, and Zoom stops sending to an endpoint that fails it.
  @WorksWithoutDatabase(isUrlValidation)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Zoom's event notification endpoint",
    description:
      'Verifies `x-zm-signature` over the raw body with the current and the "next" secret and ' +
      'rejects timestamps older than ZOOM_WEBHOOK_TOLERANCE_SECONDS (default 90 minutes, to cover ' +
      "Zoom's retries) or over 5 minutes ahead (401, nothing stored) before the " +
      'body is parsed; a correctly signed body that is not JSON is a 400. Answers ' +
      '`endpoint.url_validation`; records `meeting.*` / `webinar.*` participant_joined, ' +
      'participant_left, started and ended, idempotently and in any order; acknowledges other ' +
      'events, and known events lacking what acting on them needs, with `handled: false`.',
  })
  @ApiHeader({ name: 'x-zm-signature', required: true, description: 'v0=<hex HMAC-SHA256>' })
  @ApiHeader({ name: 'x-zm-request-timestamp', required: true, description: 'Unix seconds' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['event', 'payload'],
      properties: {
        event: { type: 'string', example: 'meeting.participant_joined' },
        event_ts: { type: 'integer', example: 1764212345678 },
        payload: { type: 'object' },
      },
    },
  })
  @ApiOkResponse({
    description: 'url_validation answer, or the acknowledgement of an event',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(UrlValidationResponseDto) },
        { $ref: getSchemaPath(WebhookAckDto) },
      ],
    },
  })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Signed, but not a Zoom event' })
  @ApiUnauthorizedResponse({
    type: ErrorBodyDto,
    description: 'Missing or wrong signature, or a timestamp outside the window',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'Body over 100 kB' })
  async receive(@Req() request: FastifyRequest): Promise<UrlValidationResponseDto | WebhookAckDto> {
    const secret = verifiedSecretOf(request);
    // The hook always runs first; this only guards against the route ever losing its flag.
    if (secret === undefined)
      throw new UnauthorizedException('Zoom webhook signature not verified');
    return this.webhooks.handle(request.body, secret, request.id);
  }
}
