import { applyDecorators } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/errors/error-body';

const ZOOM_404 = 'Zoom does not know the meeting (asked whether you host it)';
const ZOOM_502 = "Zoom could not say whether you host the meeting: Zoom's reason and code";

/**
 * Documents what checking meeting access may answer on a route that names a meeting, besides
 * the 403 that @RequireRole documents: asking Zoom who hosts it may bring Zoom's 404 or a 502.
 * `notFound: false` on routes that document their own 404 already.
 */
export const ApiMeetingAccess = (options: { notFound?: boolean } = {}) =>
  applyDecorators(
    ...(options.notFound === false
      ? []
      : [ApiNotFoundResponse({ type: ErrorBodyDto, description: ZOOM_404 })]),
    ApiBadGatewayResponse({ type: ErrorBodyDto, description: ZOOM_502 }),
  );
