import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/errors/error-body';

/**
 * OpenAPI for the participant routes, which answer in two shapes (AnswerPageExceptionFilter,
 * wantsJson): a browser gets an HTML page, a JSON caller the API's JSON. Every answer these
 * routes' own code gives is documented with both content types, so a client (and the fuzzer)
 * finds the one it got. Answers given before the route runs (a 400 for an over-long token or
 * malformed JSON, 413, 415) are always JSON and are added by documentCommonErrors.
 */

/** The page: always a complete HTML document. */
export const HTML_PAGE = { 'text/html': { schema: { type: 'string' } } };

const JSON_ERROR = { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } };

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
};

/** An error as an HTML page with the same status, or as the JSON error body. */
export const ApiPageOrJsonError = (status: number, description: string): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(ErrorBodyDto),
    ApiResponse({
      status,
      description,
      content: { ...HTML_PAGE, ...JSON_ERROR },
      ...(status === 429 ? { headers: RETRY_AFTER } : {}),
    }),
  );

/** A success as an HTML page, or as `model` in JSON. */
export const ApiPageOrJson = (
  status: number,
  description: string,
  model: new () => unknown,
): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status,
      description,
      content: { ...HTML_PAGE, 'application/json': { schema: { $ref: getSchemaPath(model) } } },
    }),
  );
