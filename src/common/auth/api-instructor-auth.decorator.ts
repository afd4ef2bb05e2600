import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../errors/error-body';

export const API_KEY_SCHEME = 'api-key';
export const BEARER_SCHEME = 'bearer';

/** Documents that a route needs an API key, by either header, and its 401 answer (used by RequireRole). */
export const ApiInstructorAuth = () =>
  applyDecorators(
    ApiSecurity(API_KEY_SCHEME),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({
      type: ErrorBodyDto,
      description:
        'No API key, or one that is unknown, revoked or expired, or whose account is disabled',
    }),
  );
